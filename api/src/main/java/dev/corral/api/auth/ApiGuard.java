package dev.corral.api.auth;

import dev.corral.api.errors.ErrorMapping;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;

/**
 * The filter in front of every route: rejects path traversal (400), checks the bearer token against the
 * {@link AccessPolicy} (401 / 403), then the body size (413) and, for a request with a body, its content
 * type (415). Every rejection has the usual error body. The checks themselves are in {@link RequestChecks}.
 *
 * <p>Thread-safe.
 */
public final class ApiGuard implements Filter {

  private static final System.Logger LOG = System.getLogger(ApiGuard.class.getName());
  private static final String BEARER = "Bearer ";

  private final SecuritySettings settings;
  private final AccessPolicy policy;
  private final ErrorMapping errors;

  /** A guard enforcing {@code settings} with {@link AccessPolicy#defaults}, stamping errors with {@code clock}. */
  public ApiGuard(SecuritySettings settings, Clock clock) {
    this.settings = settings;
    this.policy = AccessPolicy.defaults(settings.protectHealth());
    this.errors = new ErrorMapping(clock);
  }

  /** Adds the guard to {@code routing}, before any route. */
  public static void install(HttpRouting.Builder routing, SecuritySettings settings, Clock clock) {
    routing.addFilter(new ApiGuard(settings, clock));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    String path = req.prologue().uriPath().path();
    Optional<String> badPath = RequestChecks.badPath(req.prologue().uriPath().rawPath(), path);
    if (badPath.isPresent()) {
      reject(req, res, Status.BAD_REQUEST_400, "invalid_request", badPath.get());
      return;
    }
    if (!authorized(req, res, method, path)) {
      return;
    }
    Headers headers = req.headers();
    long length = headers.contentLength().orElse(-1L);
    if (length > settings.maxBodyBytes()) {
      res.header(HeaderNames.CONNECTION, "close");
      reject(req, res, Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large", "the request body has "
          + length + " bytes; the limit is " + settings.maxBodyBytes() + " (CORRAL_MAX_BODY_BYTES)");
      return;
    }
    boolean hasBody = length > 0 || headers.contains(HeaderNames.TRANSFER_ENCODING);
    Optional<String> contentType = headers.contentType().map(HttpMediaType::text);
    if (hasBody && path.startsWith("/api/") && !RequestChecks.isJson(contentType)) {
      reject(req, res, Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type", "the request body must be "
          + "application/json, was " + contentType.map(t -> "'" + t + "'").orElse("no Content-Type"));
      return;
    }
    chain.proceed();
  }

  private boolean authorized(RoutingRequest req, RoutingResponse res, String method, String path) {
    if (settings.tokens().isEmpty() || policy.isPublic(method, path)) {
      return true; // insecure development mode (refused at startup unless explicitly asked for), or open route
    }
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      unauthorized(req, res, "missing bearer token: send 'Authorization: Bearer <token>'");
      return false;
    }
    Optional<TokenStore.Caller> caller = settings.tokens().callerOf(header.get().substring(BEARER.length()).strip());
    if (caller.isEmpty()) {
      unauthorized(req, res, "unknown bearer token");
      return false;
    }
    Role role = caller.get().role();
    if (!policy.permits(role, method, path)) {
      reject(req, res, Status.FORBIDDEN_403, "forbidden", "role " + role.configName()
          + " may not call " + method + " " + path);
      return false;
    }
    WorkerBinding binding = caller.get().workers();
    Optional<String> workerId = WorkerBinding.workerIdOfPath(method, path);
    if (role == Role.WORKER && workerId.isPresent() && !binding.permits(workerId.get())) {
      reject(req, res, Status.FORBIDDEN_403, "forbidden", boundMessage(binding, workerId.get()));
      return false;
    }
    req.context().register(role);
    req.context().register(binding);
    return true;
  }

  /** The 403 detail for a bound worker token acting as {@code workerId}. */
  public static String boundMessage(WorkerBinding binding, String workerId) {
    return "this worker token is bound to worker id " + binding.describe() + " and may not act as worker '"
        + workerId + "' (a * ends a prefix)";
  }

  /** The role of the caller's bearer token, once this guard let the request through (empty without tokens). */
  public static Optional<Role> callerRole(io.helidon.webserver.http.ServerRequest req) {
    return req.context().get(Role.class);
  }

  /**
   * The worker ids the caller may act as: its token's binding for a worker token, {@link WorkerBinding#ANY}
   * otherwise and without tokens.
   */
  public static WorkerBinding callerWorkers(io.helidon.webserver.http.ServerRequest req) {
    return req.context().get(WorkerBinding.class).orElse(WorkerBinding.ANY);
  }

  private void unauthorized(RoutingRequest req, RoutingResponse res, String detail) {
    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"corral\"");
    reject(req, res, Status.UNAUTHORIZED_401, "unauthorized", detail);
  }

  private void reject(RoutingRequest req, RoutingResponse res, Status status, String type, String detail) {
    LOG.log(Level.WARNING, status.code() + " " + type + " " + req.prologue().method().text() + " "
        + req.prologue().uriPath().path() + ": " + detail);
    errors.send(req, res, status, type, detail);
  }
}
