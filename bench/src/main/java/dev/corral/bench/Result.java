package dev.corral.bench;

/**
 * One measured run.
 *
 * @param impl {@code corral} or {@code bullmq}
 * @param scenario the scenario name
 * @param n jobs in the run
 * @param concurrency concurrency of the run (producers or worker slots)
 * @param ms wall time of the measured part
 * @param p50 median latency in ms (latency scenario only)
 * @param p99 99th percentile latency in ms (latency scenario only)
 */
record Result(String impl, String scenario, int n, int concurrency, double ms, double p50, double p99) {

  /** Jobs per second, or 0 for the latency scenario. */
  double perSecond() {
    return ms <= 0 ? 0 : n * 1000.0 / ms;
  }
}
