package dev.corral.sdk.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcMemoryTest {

  @TempDir
  Path proc;

  @Test
  void vmRssIsReadFromTheStatusFile() throws Exception {
    Files.createDirectories(proc.resolve("42"));
    Files.writeString(proc.resolve("42/status"), "Name:\tnode\nVmPeak:\t  999999 kB\nVmRSS:\t   52340 kB\nThreads:\t7\n");
    assertEquals(52340, new ProcMemory(proc).residentKb(42));
  }

  @Test
  void anUnknownProcessOrAMissingFieldReadsAsZero() throws Exception {
    Files.createDirectories(proc.resolve("7"));
    Files.writeString(proc.resolve("7/status"), "Name:\tzombie\nState:\tZ (zombie)\n");
    ProcMemory memory = new ProcMemory(proc);
    assertEquals(0, memory.residentKb(7));
    assertEquals(0, memory.residentKb(8));
    assertEquals(0, ProcMemory.parseVmRssKb("VmRSS:\tlots kB\n"));
  }

  @Test
  void theRealProcReportsThisJvm() {
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertTrue(ProcMemory.system().residentKb(ProcessHandle.current().pid()) > 1024);
    }
  }
}
