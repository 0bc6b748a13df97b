/**
 * The decoy credential contract shared by the node agent (which mints credentials per container) and the decoy API
 * server (which names their origin when someone uses one): a JWT-shaped bearer token whose third segment is the
 * origin, encrypted and authenticated with a key only Beesting holds.
 */
package dev.beesting.api.decoy;
