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
  record Reply(int status, String contentType, String body) {

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + contentType + "): " + body, e);
      }
    }
  }

  private Http() {}

  static Reply get(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  static Reply post(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  static Reply post(URI base, String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static Reply delete(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> res = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
