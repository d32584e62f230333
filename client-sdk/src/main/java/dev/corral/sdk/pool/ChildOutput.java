package dev.corral.sdk.pool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the pool reads from a child (one line of its stdout, decoded) or learns about its streams. Immutable.
 */
sealed interface ChildOutput {

  /** {@code {"type":"ready","protocol":1}}: the child started and speaks {@code protocol}. */
  record Ready(int protocol) implements ChildOutput {}

  /** {@code {"type":"progress","value":..}}. */
  record Progress(JsonNode value) implements ChildOutput {}

  /** {@code {"type":"log","line":".."}}. */
  record Log(String line) implements ChildOutput {}

  /** {@code {"type":"result","value":..}}: the job completed ({@code value} is JSON null when absent). */
  record Result(JsonNode value) implements ChildOutput {}

  /** {@code {"type":"error","message":..,"unrecoverable"?:bool,"stack"?:".."}}: the job failed. */
  record Failure(String message, boolean unrecoverable, String stack) implements ChildOutput {}

  /** A line that is not a valid message; {@code problem} says why and quotes the line. */
  record Invalid(String problem) implements ChildOutput {}

  /** The child's stdout reached its end (it exited or closed it), or could not be read ({@code detail}). */
  record Closed(String detail) implements ChildOutput {}

  /** Writing the job line to the child's stdin failed. */
  record SendFailed(String detail) implements ChildOutput {}

  /** Not from the child: wakes the job's thread so it re-reads its deadlines (a recycle was requested). */
  record Wake() implements ChildOutput {}
}
