/**
 * Bearer-token authentication and authorization of the API, plus the request checks that run before routing.
 *
 * <p>{@link dev.corral.api.auth.AccessPolicy} is the pure table of method + path pattern to roles; anything it does
 * not list is admin-only. {@link dev.corral.api.auth.TokenStore} holds the configured tokens as SHA-256 hashes, a worker
 * token possibly bound to worker ids ({@link dev.corral.api.auth.WorkerBinding}, checked on {@code /api/workers/{id}/**}
 * by the guard and on the registration body by the worker routes).
 * {@link dev.corral.api.auth.ApiGuard} is the Helidon filter that applies both (401/403) and refuses traversal in
 * paths (400), bodies over the limit (413) and non-JSON bodies (415), all with the usual error body.
 *
 * <p>Adding a route: add its rule to {@code AccessPolicy.defaults} and a row to {@code AccessPolicyTest}; for
 * 405 on other methods, register {@code any(path, MethodNotAllowedException.handler("GET"))} after its routes.
 */
package dev.corral.api.auth;
