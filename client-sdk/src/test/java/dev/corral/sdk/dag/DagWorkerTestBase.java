package dev.corral.sdk.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.RedisTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** One Redis client per test class and a fresh {@link DagWorkers} fixture (own prefix) per test. */
abstract class DagWorkerTestBase {

  static final BrokerClient client = RedisTestSupport.sharedClient();
  DagWorkers t;

  @BeforeEach
  void fresh() {
    t = new DagWorkers(client);
  }

  @AfterEach
  void closeAll() {
    t.close();
  }
}
