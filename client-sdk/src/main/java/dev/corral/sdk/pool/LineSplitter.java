package dev.corral.sdk.pool;

/**
 * Splits a character stream into lines ({@code \n}, with a trailing {@code \r} dropped) without holding more
 * than {@code maxChars} of one line: a longer line is reported once through {@link Sink#tooLong(String)} with
 * its first characters, and the rest of it is skipped up to its newline. Not thread-safe (one reader thread).
 */
final class LineSplitter {

  /** Receives lines. */
  interface Sink {
    /** A complete line, without its line terminator. */
    void line(String line);

    /** A line longer than the limit; {@code head} is its first {@code maxChars} characters. */
    void tooLong(String head);
  }

  private final int maxChars;
  private final Sink sink;
  private final StringBuilder current = new StringBuilder();
  private boolean skipping;

  LineSplitter(int maxChars, Sink sink) {
    this.maxChars = maxChars;
    this.sink = sink;
  }

  /** Feeds {@code n} characters of {@code chars}. */
  void feed(char[] chars, int n) {
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (chars[i] == '\n') {
        append(chars, start, i);
        if (!skipping) {
          emit();
        }
        skipping = false;
        current.setLength(0);
        start = i + 1;
      }
    }
    append(chars, start, n);
  }

  /** The stream ended: a last line without a newline is emitted. */
  void end() {
    if (!skipping && !current.isEmpty()) {
      emit();
    }
    current.setLength(0);
  }

  private void append(char[] chars, int from, int to) {
    if (skipping || from >= to) {
      return;
    }
    int room = maxChars - current.length();
    if (to - from > room) {
      current.append(chars, from, Math.max(0, room));
      skipping = true;
      sink.tooLong(current.toString());
      current.setLength(0);
      return;
    }
    current.append(chars, from, to - from);
  }

  private void emit() {
    int len = current.length();
    if (len > 0 && current.charAt(len - 1) == '\r') {
      current.setLength(len - 1);
    }
    sink.line(current.toString());
  }
}
