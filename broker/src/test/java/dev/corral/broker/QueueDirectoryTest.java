package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.keys.QueueKeys;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of queue discovery and worker-connection matching. */
class QueueDirectoryTest {

  @Test
  void queueNamesComeFromMetaAndIdKeysOnly() {
    assertEquals(Optional.of("emails"), QueueDirectory.queueNameOf("bull", "bull:emails:meta", "meta"));
    assertEquals(Optional.of("e mails"), QueueDirectory.queueNameOf("bull", "bull:e mails:id", "id"));
    assertEquals(Optional.of("{t}"), QueueDirectory.queueNameOf("{b}", "{b}:{t}:meta", "meta"));
    for (String odd : List.of("bull:a:b:meta", "bull::meta", "bull:meta", "other:emails:meta", "bull:emails:metax",
        "bull:emails:id:meta")) {
      assertEquals(Optional.empty(), QueueDirectory.queueNameOf("bull", odd, "meta"), odd);
    }
  }

  @Test
  void globCharactersOfThePrefixAreEscaped() {
    assertEquals("bull", QueueDirectory.glob("bull"));
    assertEquals("\\[b\\]\\*\\?\\\\", QueueDirectory.glob("[b]*?\\"));
  }

  @Test
  void workerConnectionsMatchAsBullmqGetWorkersDoes() {
    QueueKeys keys = QueueKeys.of("emails");
    String base = keys.workerClientName(null);
    List<String> lines = List.of(
        "id=1 addr=10.0.0.1:5000 laddr=x fd=8 name=" + base + " age=12 idle=3 flags=N",
        "id=2 addr=10.0.0.2:5001 fd=9 name=" + base + ":w:mailer-1 age=5 idle=0",
        "id=3 addr=10.0.0.3:5002 fd=9 name=" + base + ":qe age=5 idle=0",
        "id=4 addr=10.0.0.4:5003 fd=9 name=" + QueueKeys.of("sms").workerClientName("x") + " age=5 idle=0",
        "id=5 addr=10.0.0.5:5004 fd=9 name= age=1 idle=1",
        "id=6 addr=10.0.0.6:5005 fd=9 name=" + base + ":w: age=1 idle=1");

    List<QueueConnections.WorkerConnection> found = QueueConnections.parse(lines, keys);

    assertEquals(List.of(
        new QueueConnections.WorkerConnection(base, null, "10.0.0.1:5000", 12, 3),
        new QueueConnections.WorkerConnection(base + ":w:mailer-1", "mailer-1", "10.0.0.2:5001", 5, 0)), found);
  }
}
