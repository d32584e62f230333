package dev.corral.broker.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** Last resort for tests: a Redis 7 container, tried only where a Docker socket exists. */
final class TestcontainersRedis {

  private TestcontainersRedis() {}

  /** The URL of a started container, or null when Docker is not available. */
  @SuppressWarnings("resource")
  static String tryStart() {
    if ("false".equalsIgnoreCase(System.getenv("REDIS_TESTCONTAINERS")) || !dockerLikely()) {
      return null;
    }
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return null;
      }
      GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7.0.15")).withExposedPorts(6379);
      redis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "stop-test-redis-container"));
      return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean dockerLikely() {
    if (System.getenv("DOCKER_HOST") != null) {
      return true;
    }
    String home = System.getProperty("user.home");
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    return Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
        || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")))
        || Files.exists(Path.of(home, ".testcontainers.properties"));
  }
}
