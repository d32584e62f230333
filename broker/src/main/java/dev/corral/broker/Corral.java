package dev.corral.broker;

/** Version facts of this library. */
public final class Corral {

  /** Corral's version. */
  public static final String VERSION = "0.1.0";

  /** The BullMQ release whose Redis layout, scripts' effects and events Corral reproduces. */
  public static final String BULLMQ_COMPATIBILITY = "6.7.0";

  /** What Corral writes to the {@code library} field of a queue's meta hash. */
  public static final String LIBRARY = "corral:" + VERSION;

  private Corral() {}
}
