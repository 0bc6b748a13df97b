/**
 * The agent's cluster side, and the only package that talks to the API server: it follows the compiled node
 * config ({@link dev.beesting.agent.kube.NodeConfigWatcher}), writes HoneytokenAlerts and Pod Events
 * ({@link dev.beesting.agent.kube.AlertWriter}) and the node's HoneytokenNode
 * ({@link dev.beesting.agent.kube.NodeStatusWriter}), and follows the labels of namespaces for node config format v2
 * ({@link dev.beesting.agent.kube.NamespaceLabels}).
 *
 * <p>API calls made, matching the agent's RBAC: the Secret {@code beesting-node-config} (get, list, watch by
 * name); namespaces (list, watch; get is granted for tools); honeytokenalerts (create, get) and their status (patch); events (create, patch); honeytokennodes
 * (create) and their status (patch). No server-side apply and no strategic merge: plain JSON (merge) patches work
 * on every API server.
 */
package dev.beesting.agent.kube;
