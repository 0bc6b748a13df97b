/**
 * The agent's model: the records every layer speaks (the process that opened a token, ...). Adapters at the edges
 * map wire types into them once. Knows nothing else of the agent.
 */
package dev.beesting.agent.model;
