package dev.corral.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerBindingTest {

  @Test
  void exactIdsPrefixesAndLists() {
    WorkerBinding one = WorkerBinding.parse("py-1");
    assertTrue(one.permits("py-1"));
    assertFalse(one.permits("py-10"));
    assertEquals(Optional.of("py-1"), one.singleId());

    WorkerBinding prefix = WorkerBinding.parse("py-*");
    assertTrue(prefix.permits("py-1"));
    assertTrue(prefix.permits("py-"));
    assertFalse(prefix.permits("go-1"));
    assertEquals(Optional.empty(), prefix.singleId());

    WorkerBinding list = WorkerBinding.parse("a-1+b-*");
    assertTrue(list.permits("a-1"));
    assertTrue(list.permits("b-7"));
    assertFalse(list.permits("a-2"));
    assertEquals("a-1+b-*", list.describe());
    assertFalse(list.permits(null));

    assertTrue(WorkerBinding.ANY.permits("anything"));
    assertEquals("*", WorkerBinding.ANY.describe());
  }

  @Test
  void badBindingsAreRefused() {
    for (String bad : List.of("", "*", "a b", "a:b", "a*b", "a+", "+a", "x".repeat(129))) {
      assertThrows(IllegalArgumentException.class, () -> WorkerBinding.parse(bad), bad);
    }
  }

  @Test
  void theWorkerIdOfAPath() {
    assertEquals(Optional.of("w1"), WorkerBinding.workerIdOfPath("POST", "/api/workers/w1/heartbeat"));
    assertEquals(Optional.of("w1"), WorkerBinding.workerIdOfPath("DELETE", "/api/workers/w1"));
    assertEquals(Optional.of("w1"), WorkerBinding.workerIdOfPath("GET", "/api/workers/w1/commands/pending"));
    assertEquals(Optional.of("w1"), WorkerBinding.workerIdOfPath("POST", "/api/workers/w1/commands/c/ack"));
    assertEquals(Optional.empty(), WorkerBinding.workerIdOfPath("POST", "/api/workers/register"));
    assertEquals(Optional.of("register"), WorkerBinding.workerIdOfPath("DELETE", "/api/workers/register"));
    assertEquals(Optional.empty(), WorkerBinding.workerIdOfPath("GET", "/api/workers"));
    assertEquals(Optional.empty(), WorkerBinding.workerIdOfPath("GET", "/api/queues/q"));
  }

  @Test
  void tokensCarryTheirBinding() {
    TokenStore store = TokenStore.parse("t", List.of("worker:any", "worker@py-*:bound",
        "worker@h-1:sha256:" + TokenStore.sha256Hex("hashed"), "admin:adm"));
    assertEquals(WorkerBinding.ANY, store.callerOf("any").orElseThrow().workers());
    assertEquals(List.of("py-*"), store.callerOf("bound").orElseThrow().workers().patterns());
    assertEquals(Role.WORKER, store.callerOf("hashed").orElseThrow().role());
    assertEquals(Optional.of("h-1"), store.callerOf("hashed").orElseThrow().workers().singleId());
    assertEquals(WorkerBinding.ANY, store.callerOf("adm").orElseThrow().workers());
  }

  @Test
  void onlyWorkerTokensCanBeBound() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenStore.parse("CORRAL_TOKENS", List.of("admin@x:secret")));
    assertEquals("CORRAL_TOKENS entry 1: only worker tokens can be bound to worker ids (worker@<id>:...), not admin "
        + "tokens", e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> TokenStore.parse("CORRAL_TOKENS", List.of("worker@:secret")));
    assertFalse(bad.getMessage().contains("secret"), bad.getMessage());
  }
}
