/**
 * The compiled node configuration: the documented, versioned contract between the operator (which writes it into
 * the Secret {@code beesting-node-config}, keys {@code config.json} for format v1 and {@code config-v2.json} for v2)
 * and the node agents (which read v2 where it is, else v1).
 */
package dev.beesting.api.nodeconfig;
