package dev.corral.broker.lifecycle;

import dev.corral.broker.scripts.MarkerConnection;
import java.util.List;

/**
 * A fetch script's reply, read off the connection but not yet decoded. Whether it holds a job is known at once;
 * decoding the job hash (its JSON fields) is left to {@link #decode()}, so a worker can start the job's thread
 * first and decode while that thread is being scheduled.
 */
public final class FetchedReply {

  /** Nothing ran: the connection was woken before the call blocked ({@link MarkerConnection#wake()}). */
  static final FetchedReply CUT_SHORT = new FetchedReply(null, FetchResult.EMPTY);

  private final List<?> tuple;
  private final FetchResult decoded;

  private FetchedReply(List<?> tuple, FetchResult decoded) {
    this.tuple = tuple;
    this.decoded = decoded;
  }

  /** The script tuple {@code {hash|0, id|0, ttl, nextDelayed}}, decoded on demand. */
  static FetchedReply of(List<?> tuple) {
    return new FetchedReply(tuple, null);
  }

  /** A result that was decoded already. */
  static FetchedReply decoded(FetchResult result) {
    return new FetchedReply(null, result);
  }

  /** True when nothing was sent because the connection was woken first: no job was taken, none was looked for. */
  public boolean cutShort() {
    return this == CUT_SHORT;
  }

  /** True when the script took a job (it is active and locked for the caller). */
  public boolean hasJob() {
    return decoded != null ? decoded.job() != null : tuple.get(0) instanceof List<?>;
  }

  /** Decodes the reply; the job's JSON fields are parsed here. */
  public FetchResult decode() {
    return decoded != null ? decoded : FetchResult.decode(tuple);
  }
}
