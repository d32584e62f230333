package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependency rules between the modules, checked on the sources: api and client-sdk depend on broker only,
 * nothing but Helidon's own module uses Helidon, and no module reaches into another's {@code internal}
 * package.
 */
class ArchitectureTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private static List<String> violations(String module, List<String> forbiddenImports) {
    Path sources = ROOT.resolve(module).resolve("src/main/java");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(file)) {
          for (String forbidden : forbiddenImports) {
            if (line.startsWith("import " + forbidden) || line.startsWith("import static " + forbidden)) {
              found.add(ROOT.relativize(file) + ": " + line);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Test
  void theModulesAreWhereTheRulesLookForThem() {
    assertTrue(Files.isDirectory(ROOT.resolve("broker/src/main/java/dev/corral/broker")), ROOT.toString());
    assertTrue(Files.isDirectory(ROOT.resolve("client-sdk/src/main/java/dev/corral/sdk")), ROOT.toString());
  }

  @Test
  void theBrokerDependsOnNoOtherModuleAndNotOnHelidon() {
    assertEquals(List.of(), violations("broker", List.of("dev.corral.sdk", "dev.corral.api", "io.helidon")));
  }

  @Test
  void theSdkUsesNoHelidonNoApiAndNoBrokerInternals() {
    assertEquals(List.of(), violations("client-sdk",
        List.of("dev.corral.api", "io.helidon", "dev.corral.broker.internal")));
  }

  @Test
  void theApiUsesNoSdkAndNoBrokerInternals() {
    assertEquals(List.of(), violations("api", List.of("dev.corral.sdk", "dev.corral.broker.internal")));
  }
}
