package dev.corral.broker.workers;

/**
 * A registered worker as the registry sees it now.
 *
 * @param registration what it registered
 * @param heartbeat its latest heartbeat, null before the first
 * @param registeredAt when it registered (ms)
 * @param lastHeartbeatAt when it last heartbeat (ms; the registration time before the first)
 * @param heartbeats heartbeats recorded
 * @param missedHeartbeats whole intervals since the last heartbeat
 * @param liveness healthy, unhealthy or dead
 */
public record WorkerStatus(WorkerRegistration registration, Heartbeat heartbeat, long registeredAt,
    long lastHeartbeatAt, long heartbeats, long missedHeartbeats, Liveness liveness) {

  /** The worker id. */
  public String workerId() {
    return registration.workerId();
  }
}
