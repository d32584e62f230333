package dev.corral.sdk.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of a process from {@code <procRoot>/<pid>/status} ({@code VmRSS}, Linux). Unknown (no such
 * file, another OS, a zombie without VmRSS) reads as 0. Thread-safe.
 */
final class ProcMemory {

  private final Path procRoot;

  /** Reads from {@code procRoot} ({@code /proc} in production; a directory of fake files in tests). */
  ProcMemory(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Reads from {@code /proc}. */
  static ProcMemory system() {
    return new ProcMemory(Path.of("/proc"));
  }

  /** Resident memory of {@code pid} in KiB, 0 when unknown. */
  long residentKb(long pid) {
    Path status = procRoot.resolve(Long.toString(pid)).resolve("status");
    try {
      return parseVmRssKb(Files.readString(status, StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return 0; // gone, not Linux, unreadable
    }
  }

  /** The {@code VmRSS:   1234 kB} value of a status file in KiB, 0 when absent or malformed. */
  static long parseVmRssKb(String statusText) {
    for (String line : statusText.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          String unit = parts.length > 1 ? parts[1] : "kB";
          return switch (unit) {
            case "kB" -> value;
            case "mB", "MB" -> value * 1024;
            case "gB", "GB" -> value * 1024 * 1024;
            default -> value;
          };
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
