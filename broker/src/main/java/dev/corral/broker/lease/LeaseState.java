package dev.corral.broker.lease;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The leader lease as this instance sees it: pure state, no I/O, driven by times the caller passes in
 * (milliseconds of an injectable clock). The lease counts as held until {@code sentAt + ttl} of the last
 * successful take or renewal, where {@code sentAt} is when that request was <em>sent</em>: Redis started the
 * TTL later, so this instance stops leading before Redis lets anyone else take over (clock rates being
 * equal). A renewal refused by Redis ends leadership at once; a renewal that fails or gets no answer does
 * not, but the lease still ends at its local deadline.
 *
 * <p>Thread-safe.
 */
public final class LeaseState {

  /** What a step changed. */
  public enum Change {
    /** Leadership was gained. */
    ELECTED,
    /** Leadership was lost. */
    REVOKED,
    /** Nothing changed. */
    NONE
  }

  private final long ttlMs;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean leader; // guarded by lock
  private long acquiredAt; // guarded by lock
  private long validUntil; // guarded by lock

  /** A state for leases of {@code ttlMs}, not held. */
  public LeaseState(long ttlMs) {
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("ttlMs must be > 0, was " + ttlMs);
    }
    this.ttlMs = ttlMs;
  }

  /** Redis gave (or kept) the lease for a request sent at {@code sentAt}. */
  public Change taken(long sentAt) {
    lock.lock();
    try {
      validUntil = Math.max(validUntil, sentAt + ttlMs);
      if (leader) {
        return Change.NONE;
      }
      leader = true;
      acquiredAt = sentAt;
      return Change.ELECTED;
    } finally {
      lock.unlock();
    }
  }

  /** Redis renewed the lease for a request sent at {@code sentAt}. */
  public Change renewed(long sentAt) {
    return taken(sentAt);
  }

  /** Redis says another instance (or nobody) holds the lease, or it was given up. */
  public Change lost() {
    lock.lock();
    try {
      if (!leader) {
        return Change.NONE;
      }
      leader = false;
      validUntil = 0;
      return Change.REVOKED;
    } finally {
      lock.unlock();
    }
  }

  /** Checks the local deadline at {@code now}: a lease not renewed in time is lost. */
  public Change check(long now) {
    lock.lock();
    try {
      return leader && now >= validUntil ? lost() : Change.NONE;
    } finally {
      lock.unlock();
    }
  }

  /** Whether this instance leads at {@code now} (held, and its local deadline not passed). */
  public boolean isLeader(long now) {
    lock.lock();
    try {
      return leader && now < validUntil;
    } finally {
      lock.unlock();
    }
  }

  /** When the current leadership began (ms), or -1 when not leading. */
  public long acquiredAt() {
    lock.lock();
    try {
      return leader ? acquiredAt : -1;
    } finally {
      lock.unlock();
    }
  }

  /** Milliseconds until the local deadline at {@code now} (0 when not leading). */
  public long remainingMs(long now) {
    lock.lock();
    try {
      return leader ? Math.max(0, validUntil - now) : 0;
    } finally {
      lock.unlock();
    }
  }
}
