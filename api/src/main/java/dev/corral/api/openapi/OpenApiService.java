package dev.corral.api.openapi;

import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Requests;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Locale;

/**
 * {@code GET /openapi}: the {@link OpenApiDocument}, as {@code application/yaml} by default, as
 * {@code application/json} with {@code ?format=json} or when {@code Accept} prefers JSON. {@code ?format=yaml}
 * forces YAML; any other format is a 400. Open like {@code /health} (see {@code AccessPolicy}).
 *
 * <p>Thread-safe.
 */
public final class OpenApiService implements HttpService {

  private final byte[] yaml;
  private final byte[] json;

  /** Serves {@code document}. */
  public OpenApiService(OpenApiDocument document) {
    this.yaml = document.yaml();
    this.json = document.json();
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::document)
        .any("/", MethodNotAllowedException.handler("GET"));
  }

  private void document(ServerRequest req, ServerResponse res) {
    boolean asJson = wantsJson(req);
    res.headers().contentType(asJson ? MediaTypes.APPLICATION_JSON : MediaTypes.APPLICATION_YAML);
    res.headers().set(HeaderNames.VARY, "Accept");
    res.send(asJson ? json : yaml);
  }

  private static boolean wantsJson(ServerRequest req) {
    String format = Requests.query(req, "format");
    if (format != null) {
      return switch (format.trim().toLowerCase(Locale.ROOT)) {
        case "json" -> true;
        case "yaml", "yml" -> false;
        default -> throw ApiException.invalid("format", "format must be yaml or json, was '" + format + "'");
      };
    }
    if (!req.headers().contains(HeaderNames.ACCEPT)) {
      return false;
    }
    MediaType best = req.headers().bestAccepted(MediaTypes.APPLICATION_YAML, MediaTypes.APPLICATION_JSON)
        .orElse(MediaTypes.APPLICATION_YAML);
    return best.equals(MediaTypes.APPLICATION_JSON);
  }
}
