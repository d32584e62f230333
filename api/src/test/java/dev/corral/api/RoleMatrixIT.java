package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.api.openapi.OpenApiDocument;
import dev.corral.api.openapi.OpenApiOperations;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every role against every route, over a real socket: each documented operation is sent with each role's token and
 * without one. A role outside the operation's {@code x-roles} gets 403 from the guard; a role inside it is never
 * refused with 401 or 403 (its request may still be a 400/404: the probe sends no body and made-up ids). The
 * document's {@code x-roles} are themselves checked against {@code AccessPolicy} by {@code OpenApiDocumentTest}, and
 * every route is in the document ({@code OpenApiRoutesIT}), so a new route is covered here without a new row.
 */
@ServerTest
class RoleMatrixIT extends ApiServerTestBase {

  private static final JsonNode DOCUMENT = OpenApiDocument.load().tree();
  private static final String PROBE = RedisTestSupport.uniqueQueueName("role-probe");

  RoleMatrixIT(URI uri) {
    super(uri);
  }

  @AfterAll
  static void cleanUp() {
    TestServer.deleteQueue(PROBE);
  }

  @Test
  void everyRoleGetsExactlyTheRoutesItsRolesAllow() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (var op : OpenApiOperations.of(DOCUMENT)) {
      Set<String> allowed = new HashSet<>();
      op.operation().path("x-roles").forEach(r -> allowed.add(r.asText()));
      boolean open = op.operation().path("security").toString().contains("{}");
      String path = samplePath(op);
      for (Role role : Role.values()) {
        String name = role.name().toLowerCase(Locale.ROOT);
        if (op.path().equals("/api/stream") && role == Role.SUBMITTER) {
          continue; // allowed only with execution= (the route's own check, covered by StreamIT)
        }
        int status = Http.request(uri, op.method(), path, TestServer.token(role), null, null).status();
        checked++;
        if (allowed.contains(name) ? status == 401 || status == 403 : status != 403) {
          wrong.add(op + " as " + name + " -> " + status + " (x-roles " + allowed + ")");
        }
      }
      int anonymous = Http.request(uri, op.method(), path, null, null, null).status();
      if (open ? anonymous == 401 || anonymous == 403 : anonymous != 401) {
        wrong.add(op + " without a token -> " + anonymous + (open ? " (open route)" : " (expected 401)"));
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(checked > 150, "checked " + checked + " role/route pairs");
  }

  private static String samplePath(OpenApiOperations.Operation op) {
    String path = op.path().replace("{queue}", PROBE).replace("{pid}", "7").replaceAll("\\{[^}/]+}", "probe-1");
    boolean stream = !DOCUMENT.at("/paths/" + op.path().replace("~", "~0").replace("/", "~1") + "/"
        + op.method().toLowerCase(Locale.ROOT) + "/responses/200/content/text~1event-stream").isMissingNode();
    return stream ? path + "?probe=1" : path; // a streaming route answers 400 at once instead of streaming
  }
}
