/** {@code GET /health}: the server's version and uptime and whether Redis answers. */
package dev.corral.api.health;
