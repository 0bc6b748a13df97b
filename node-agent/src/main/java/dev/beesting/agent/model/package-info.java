/**
 * The agent's model: the records every layer speaks (the process that opened a token, the workload and the armed token). Adapters at the edges
 * map wire types into them once. Knows nothing else of the agent.
 */
package dev.beesting.agent.model;
