package dev.corral.api.stream;

/** The text/event-stream wire format (WHATWG HTML, "Server-sent events"). Pure. */
public final class Sse {

  private Sse() {}

  /** An event: {@code event:}, {@code id:} when it has one, one {@code data:} line per line of data, a blank line. */
  public static String event(String name, String id, String data) {
    StringBuilder out = new StringBuilder(data.length() + 64);
    out.append("event: ").append(oneLine(name)).append('\n');
    if (id != null) {
      out.append("id: ").append(oneLine(id).replace("\0", "")).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return out.append('\n').toString();
  }

  /** {@link #event(String, String, String)} of a {@link StreamEvent}. */
  public static String event(StreamEvent e) {
    return event(e.type(), e.id(), e.data());
  }

  /** A comment line ({@code : text}), which clients ignore; keeps proxies from closing an idle connection. */
  public static String comment(String text) {
    return ": " + oneLine(text) + "\n\n";
  }

  /** The reconnection delay a client should use. */
  public static String retry(long millis) {
    return "retry: " + millis + "\n\n";
  }

  private static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }
}
