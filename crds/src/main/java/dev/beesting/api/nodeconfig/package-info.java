/**
 * The compiled node configuration: the documented, versioned contract between the operator (which writes it into
 * the Secret {@code beesting-node-config}, keys {@code config.json} for format v1, {@code config-v2.json} for v2 and
 * {@code config-v4.json} for the v4 index, plus for v4 one Secret per policy in a namespace of their own) and the node
 * agents (which read v4 where they can, else v2, else v1).
 */
package dev.beesting.api.nodeconfig;
