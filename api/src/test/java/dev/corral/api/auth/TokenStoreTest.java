package dev.corral.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

  @Test
  void plainAndHashedTokensResolveToTheirRoles() {
    TokenStore store = TokenStore.parse("test", List.of("admin:a1", " operator:o1 ", "# comment", "",
        "SUBMITTER:sha256:" + TokenStore.sha256Hex("s1").toUpperCase(), "worker:w1"));

    assertEquals(4, store.size());
    assertEquals(Optional.of(Role.ADMIN), store.roleOf("a1"));
    assertEquals(Optional.of(Role.OPERATOR), store.roleOf("o1"));
    assertEquals(Optional.of(Role.SUBMITTER), store.roleOf("s1"));
    assertEquals(Optional.of(Role.WORKER), store.roleOf("w1"));
    assertEquals(Optional.empty(), store.roleOf("sha256:" + TokenStore.sha256Hex("s1")), "a hash is not a token");
    assertEquals(Optional.empty(), store.roleOf("a2"));
    assertEquals(Optional.empty(), store.roleOf(""));
    assertEquals(Optional.empty(), store.roleOf(null));
  }

  @Test
  void sha256HexIsTheKnownDigest() {
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", TokenStore.sha256Hex("hello"));
  }

  @Test
  void storesCombine() {
    TokenStore store = TokenStore.parse("a", List.of("admin:x")).plus(TokenStore.parse("b", List.of("worker:y")));
    assertEquals(Optional.of(Role.WORKER), store.roleOf("y"));
    assertTrue(TokenStore.empty().isEmpty());
    assertFalse(store.isEmpty());
  }

  @Test
  void malformedEntriesAreRejectedWithoutEchoingTheToken() {
    assertMessage("CORRAL_TOKENS entry 1 must be role:token or role:sha256:<hex>", "secret");
    assertMessage("CORRAL_TOKENS entry 1 must be role:token or role:sha256:<hex>", "admin:");
    assertMessage("CORRAL_TOKENS entry 1 must be role:token or role:sha256:<hex>", ":secret");
    assertMessage("CORRAL_TOKENS entry 1: unknown role 'root'; roles are admin, operator, worker, submitter",
        "root:secret");
    assertMessage("CORRAL_TOKENS entry 1: sha256: must be followed by 64 hex digits", "admin:sha256:abc");
    assertMessage("CORRAL_TOKENS entry 1: a token cannot contain spaces, control characters or ','", "admin:a b");
  }

  @Test
  void toStringHidesTheTokens() {
    assertEquals("TokenStore[1 tokens]", TokenStore.parse("t", List.of("admin:secret")).toString());
  }

  private static void assertMessage(String expected, String entry) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenStore.parse("CORRAL_TOKENS", List.of(entry)));
    assertEquals(expected, e.getMessage());
  }
}
