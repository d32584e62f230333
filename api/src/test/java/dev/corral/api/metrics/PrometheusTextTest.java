package dev.corral.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The exposition writer: format, escaping, values, and the checks on names. */
class PrometheusTextTest {

  @Test
  void writesHelpTypeAndSamplesLineByLine() {
    String text = new PrometheusText()
        .family("corral_queue_jobs", "gauge", "Jobs.")
        .sample("corral_queue_jobs", 3, "queue", "emails", "state", "waiting")
        .sample("corral_queue_jobs", 0.25, "queue", "e2", "state", "active")
        .family("corral_queues", "gauge", "Queues.")
        .sample("corral_queues", 2)
        .text();

    assertEquals("""
        # HELP corral_queue_jobs Jobs.
        # TYPE corral_queue_jobs gauge
        corral_queue_jobs{queue="emails",state="waiting"} 3
        corral_queue_jobs{queue="e2",state="active"} 0.25
        # HELP corral_queues Queues.
        # TYPE corral_queues gauge
        corral_queues 2
        """, text);
    assertEquals(3, Exposition.parse(text).samples().size());
  }

  @Test
  void escapesLabelValuesAndHelpSoTheyParseBack() {
    String tricky = "a\"b\\c\nd{e}=f,g";
    String text = new PrometheusText()
        .family("corral_x", "gauge", "line one\nback\\slash")
        .sample("corral_x", 1, "queue", tricky)
        .text();

    assertEquals("# HELP corral_x line one\\nback\\\\slash", text.lines().findFirst().orElseThrow());
    Exposition parsed = Exposition.parse(text);
    assertEquals(tricky, parsed.samples().get(0).labels().get("queue"));
    assertEquals(1, parsed.value("corral_x", "queue", tricky));
  }

  @Test
  void formatsSpecialAndWholeValues() {
    assertEquals("+Inf", PrometheusText.formatValue(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", PrometheusText.formatValue(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", PrometheusText.formatValue(Double.NaN));
    assertEquals("12345678901", PrometheusText.formatValue(12_345_678_901d));
    assertEquals("0.005", PrometheusText.formatValue(0.005));
    assertEquals("-2", PrometheusText.formatValue(-2));
  }

  @Test
  void refusesBadNamesAndRepeatedFamilies() {
    PrometheusText out = new PrometheusText().family("ok_name", "counter", "x");
    assertThrows(IllegalArgumentException.class, () -> out.family("ok_name", "counter", "again"));
    assertThrows(IllegalArgumentException.class, () -> out.family("bad-name", "gauge", "x"));
    assertThrows(IllegalArgumentException.class, () -> out.family("fine", "meter", "x"));
    assertThrows(IllegalArgumentException.class, () -> out.sample("ok_name", 1, "bad-label", "v"));
    assertThrows(IllegalArgumentException.class, () -> out.sample("ok_name", 1, "odd"));
  }
}
