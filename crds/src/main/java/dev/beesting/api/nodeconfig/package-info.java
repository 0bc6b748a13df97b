/**
 * The compiled node configuration: the documented, versioned contract between the operator (which writes it into
 * the Secret {@code beesting-node-config}, key {@code config.json}) and the node agents (which read it).
 */
package dev.beesting.api.nodeconfig;
