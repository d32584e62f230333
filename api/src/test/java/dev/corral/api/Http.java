package dev.corral.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP/1.1 client over a real socket for the API tests. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, content type and body (parsed as JSON when it is JSON). */
  record Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + contentType + "): " + body, e);
      }
    }
  }

  private Http() {}

  /** The test admin's token, sent by every helper here except {@link #request}, which sends the one given. */
  static final String ADMIN_TOKEN = TestServer.TOKENS.get(dev.corral.api.auth.Role.ADMIN);

  static Reply get(URI base, String path) {
    return request(base, "GET", path, ADMIN_TOKEN, null, null);
  }

  static Reply post(URI base, String path) {
    return request(base, "POST", path, ADMIN_TOKEN, null, null);
  }

  static Reply post(URI base, String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static Reply delete(URI base, String path) {
    return request(base, "DELETE", path, ADMIN_TOKEN, null, null);
  }

  /**
   * Any request.
   *
   * @param token the bearer token, or {@code null} for no Authorization header
   * @param contentType the Content-Type, or {@code null} for none
   * @param body the body, or {@code null} for none
   */
  static Reply request(URI base, String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return sendAsIs(request.timeout(Duration.ofSeconds(30)).build());
  }

  /** Sends {@code request} with the admin token unless it has an Authorization header already. */
  private static Reply send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    if (built.headers().firstValue("Authorization").isEmpty()) {
      built = HttpRequest.newBuilder(built, (name, value) -> true)
          .header("Authorization", "Bearer " + ADMIN_TOKEN).build();
    }
    return sendAsIs(built);
  }

  private static Reply sendAsIs(HttpRequest request) {
    try {
      HttpResponse<String> res = CLIENT.send(request,
          HttpResponse.BodyHandlers.ofString());
      return new Reply(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body(),
          res.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
