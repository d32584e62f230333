package dev.corral.bench;

import java.util.Comparator;
import java.util.List;

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
 * @param redis what the measured part cost Redis, or null where not measured
 */
record Result(String impl, String scenario, int n, int concurrency, double ms, double p50, double p99,
    RedisCost redis) {

  Result(String impl, String scenario, int n, int concurrency, double ms, double p50, double p99) {
    this(impl, scenario, n, concurrency, ms, p50, p99, null);
  }

  /**
   * The median of several runs of one scenario: the run with the median wall time, or for the latency
   * scenario the median p50 and the median p99 (each taken on its own).
   */
  static Result median(List<Result> runs) {
    List<Result> byTime = runs.stream().sorted(Comparator.comparingDouble(Result::ms)).toList();
    Result mid = byTime.get(byTime.size() / 2);
    double[] p50 = runs.stream().mapToDouble(Result::p50).sorted().toArray();
    double[] p99 = runs.stream().mapToDouble(Result::p99).sorted().toArray();
    return new Result(mid.impl(), mid.scenario(), mid.n(), mid.concurrency(), mid.ms(), p50[p50.length / 2],
        p99[p99.length / 2], mid.redis());
  }

  /** Jobs per second, or 0 for the latency scenario. */
  double perSecond() {
    return ms <= 0 ? 0 : n * 1000.0 / ms;
  }
}
