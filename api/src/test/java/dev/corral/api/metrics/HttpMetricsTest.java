package dev.corral.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Request counting and the latency histogram, read back through the strict exposition parser. */
class HttpMetricsTest {

  private static final String ROUTE = "/api/queues/{queue}/jobs/{id}";

  @Test
  void countsByRouteTemplateMethodAndStatusWithACumulativeHistogram() {
    HttpMetrics metrics = new HttpMetrics();
    metrics.record("GET", "/api/queues/emails/jobs/1", 200, 2_000_000);      // 2 ms
    metrics.record("get", "/api/queues/sms/jobs/2", 200, 30_000_000);        // 30 ms
    metrics.record("GET", "/api/queues/sms/jobs/3", 404, 20_000_000_000L);   // 20 s
    metrics.record("BREW", "/no/such/thing", 405, 1_000);

    PrometheusText out = new PrometheusText();
    metrics.write(out);
    Exposition e = Exposition.parse(out.text());

    assertEquals("counter", e.types().get("corral_http_requests_total"));
    assertEquals("histogram", e.types().get("corral_http_request_duration_seconds"));
    assertEquals(2, e.value("corral_http_requests_total", "method", "GET", "route", ROUTE, "status", "200"));
    assertEquals(1, e.value("corral_http_requests_total", "method", "GET", "route", ROUTE, "status", "404"));
    assertEquals(1, e.value("corral_http_requests_total", "method", "OTHER", "route", "other", "status", "405"));
    String h = "corral_http_request_duration_seconds";
    assertEquals(1, e.value(h + "_bucket", "method", "GET", "route", ROUTE, "le", "0.005"));
    assertEquals(1, e.value(h + "_bucket", "method", "GET", "route", ROUTE, "le", "0.025"));
    assertEquals(2, e.value(h + "_bucket", "method", "GET", "route", ROUTE, "le", "0.05"));
    assertEquals(2, e.value(h + "_bucket", "method", "GET", "route", ROUTE, "le", "10"));
    assertEquals(3, e.value(h + "_bucket", "method", "GET", "route", ROUTE, "le", "+Inf"));
    assertEquals(3, e.value(h + "_count", "method", "GET", "route", ROUTE));
    assertEquals(20.032, e.value(h + "_sum", "method", "GET", "route", ROUTE), 1e-9);
  }

  @Test
  void anEmptyRegistryStillDeclaresItsFamilies() {
    PrometheusText out = new PrometheusText();
    new HttpMetrics().write(out);
    assertEquals(2, Exposition.parse(out.text()).types().size());
  }
}
