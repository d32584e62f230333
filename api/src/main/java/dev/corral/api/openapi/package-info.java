/** {@code GET /openapi}: the hand-written OpenAPI 3.1 document of every route, as YAML or JSON. */
package dev.corral.api.openapi;
