package dev.corral.broker.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, so timestamps written by scripts are known exactly. */
public final class MutableClock extends Clock {

  private final AtomicLong millis;

  /** A clock standing at {@code startMillis}. */
  public MutableClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  /** Sets the time. */
  public void set(long newMillis) {
    millis.set(newMillis);
  }

  /** Moves the time forward by {@code ms}. */
  public void advance(long ms) {
    millis.addAndGet(ms);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
