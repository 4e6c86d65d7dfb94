package dev.stability.testkit.pressure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.testkit.internal.SvgChart;
import dev.stability.testkit.internal.Ticks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link PressureTest} measured (R1, R2): per rate, the achieved rate, latency percentiles
 * (from the time each call was due) with the whole latency by percentile, errors, CPU and heap, and
 * latency, CPU and heap over time; as JSON and as a self-contained HTML page with inline SVG charts
 * (no script, no network resource). Immutable.
 *
 * @param name the test's name
 * @param p99Limit the p99 a sustained rate must keep
 * @param maxErrorRatio the error share a sustained rate may have
 * @param steps the steps, in the order run
 * @param startedMs when the test started (epoch ms)
 * @param endedMs when it ended (epoch ms)
 */
public record PressureReport(
    String name,
    Duration p99Limit,
    double maxErrorRatio,
    List<Step> steps,
    long startedMs,
    long endedMs) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The value of the JSON's {@code report} field, which marks a pressure report. */
  static final String REPORT_TYPE = "pressure_test";

  /** Copies. */
  public PressureReport {
    steps = List.copyOf(steps);
  }

  /**
   * One rate.
   *
   * @param targetRate calls per second scheduled
   * @param achievedRate calls per second completed
   * @param calls calls completed
   * @param errors calls that threw
   * @param p50Micros median latency from the due time
   * @param p90Micros 90th percentile
   * @param p99Micros 99th percentile
   * @param p999Micros 99.9th percentile
   * @param maxMicros the worst
   * @param cpuLoad mean process CPU load 0..1 (-1 if unknown)
   * @param heapMaxBytes the most heap in use seen
   * @param timeline latency, CPU and heap per sampling interval of the step
   * @param spectrum latency by percentile over the step, from its HdrHistogram
   * @param p99Limit the limit it was judged by
   * @param maxErrorRatio the error share it was judged by
   */
  public record Step(
      long targetRate,
      double achievedRate,
      long calls,
      long errors,
      long p50Micros,
      long p90Micros,
      long p99Micros,
      long p999Micros,
      long maxMicros,
      double cpuLoad,
      long heapMaxBytes,
      List<TimelinePoint> timeline,
      List<PercentilePoint> spectrum,
      Duration p99Limit,
      double maxErrorRatio) {

    /** Copies. */
    public Step {
      timeline = List.copyOf(timeline);
      spectrum = List.copyOf(spectrum);
    }

    /** Kept up (99% of the target), kept the p99 limit, and stayed within the error share. */
    public boolean sustained() {
      return achievedRate >= 0.99 * targetRate
          && p99Micros <= p99Limit.toNanos() / 1_000
          && errors <= maxErrorRatio * Math.max(1, calls);
    }

    /** One line for a progress log. */
    public String summary() {
      return String.format(
          Locale.ROOT,
          "%d/s target: %.0f/s achieved, p50 %d us, p99 %d us, max %d us, %d errors, CPU %.0f%% -> %s",
          targetRate,
          achievedRate,
          p50Micros,
          p99Micros,
          maxMicros,
          errors,
          cpuLoad * 100,
          sustained() ? "sustained" : "NOT sustained");
    }
  }

  /**
   * One sampling interval of a step (a tenth of the measurement, 200 ms to 1 s).
   *
   * @param atMillis when the interval ended, in ms since the test started (warm-ups included)
   * @param calls calls completed in the interval
   * @param p99Micros their p99 latency from the due time (0 if none completed)
   * @param maxMicros their worst
   * @param cpuLoad the process's CPU load 0..1 over the interval, of all processors (-1 if unknown)
   * @param heapUsedBytes heap in use at its end
   */
  public record TimelinePoint(
      long atMillis,
      long calls,
      long p99Micros,
      long maxMicros,
      double cpuLoad,
      long heapUsedBytes) {}

  /**
   * One point of a step's latency by percentile.
   *
   * @param percentile 0 to below 100
   * @param micros the latency from the due time at or below which that share of calls completed
   */
  public record PercentilePoint(double percentile, long micros) {}

  /** The highest target rate among the sustained steps (0 if none was). */
  public double sustainedRate() {
    return steps.stream().filter(Step::sustained).mapToLong(Step::targetRate).max().orElse(0);
  }

  /**
   * Asserts that a step whose target rate was at least {@code rate} was sustained (kept 99% of its
   * target, within the p99 limit and the error share) (R1: three times the historical peak).
   *
   * @throws AssertionError saying which steps fell short and why
   */
  public PressureReport assertSustains(double rate) {
    boolean ok = steps.stream().anyMatch(s -> s.sustained() && s.targetRate() >= rate);
    if (!ok) {
      StringBuilder why =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "pressure test %s did not sustain %.0f calls/s with p99 <= %d us; sustained"
                      + " %.0f/s. Steps:",
                  name,
                  rate,
                  p99Limit.toNanos() / 1_000,
                  sustainedRate()));
      for (Step step : steps) {
        why.append("\n  ").append(step.summary());
      }
      throw new AssertionError(why.toString());
    }
    return this;
  }

  /** Records the sustained rate as the indicator's tested capacity (R1 headroom). */
  public void recordInto(CapacityIndicator indicator) {
    double rate = sustainedRate();
    if (rate <= 0) {
      throw new IllegalStateException(
          "pressure test " + name + " sustained no rate: nothing to record as tested capacity");
    }
    indicator.recordTested(rate, "pressure test " + name + " at " + Instant.ofEpochMilli(endedMs));
  }

  /** The report as JSON. */
  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("report", REPORT_TYPE);
    body.put("name", name);
    body.put("started", Instant.ofEpochMilli(startedMs).toString());
    body.put("ended", Instant.ofEpochMilli(endedMs).toString());
    body.put("p99_limit_us", p99Limit.toNanos() / 1_000);
    body.put("max_error_ratio", maxErrorRatio);
    body.put("sustained_rate", Math.round(sustainedRate()));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Step step : steps) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("target_rate", step.targetRate());
      s.put("achieved_rate", Math.round(step.achievedRate()));
      s.put("calls", step.calls());
      s.put("errors", step.errors());
      s.put("p50_us", step.p50Micros());
      s.put("p90_us", step.p90Micros());
      s.put("p99_us", step.p99Micros());
      s.put("p999_us", step.p999Micros());
      s.put("max_us", step.maxMicros());
      s.put("cpu_load", Math.round(step.cpuLoad() * 1000) / 1000.0);
      s.put("heap_max_bytes", step.heapMaxBytes());
      s.put("sustained", step.sustained());
      List<Map<String, Object>> spectrum = new ArrayList<>();
      for (PercentilePoint point : step.spectrum()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("percentile", point.percentile());
        p.put("us", point.micros());
        spectrum.add(p);
      }
      s.put("spectrum", spectrum);
      List<Map<String, Object>> timeline = new ArrayList<>();
      for (TimelinePoint point : step.timeline()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("at_ms", point.atMillis());
        t.put("calls", point.calls());
        t.put("p99_us", point.p99Micros());
        t.put("max_us", point.maxMicros());
        t.put("cpu_load", Math.round(point.cpuLoad() * 1000) / 1000.0);
        t.put("heap_used_bytes", point.heapUsedBytes());
        timeline.add(t);
      }
      s.put("timeline", timeline);
      list.add(s);
    }
    body.put("steps", list);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the pressure report", e);
    }
  }

  /**
   * The report as one self-contained HTML page (no script, no network resource): a table of the
   * steps and the charts of {@link #charts()}.
   */
  public String toHtml() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Pressure test ")
        .append(escape(name))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>")
        .append("<h1>Pressure test ")
        .append(escape(name))
        .append("</h1><p>Sustained ")
        .append(Math.round(sustainedRate()))
        .append(" calls/s with p99 &lt;= ")
        .append(Ticks.number(p99Limit.toNanos() / 1e6))
        .append(" ms")
        .append(
            maxErrorRatio > 0
                ? " and at most " + Ticks.number(maxErrorRatio * 100) + "% errors"
                : "")
        .append(". Latency is measured from when each call was due (open loop); ")
        .append(escape(Instant.ofEpochMilli(startedMs).toString()))
        .append(" to ")
        .append(escape(Instant.ofEpochMilli(endedMs).toString()))
        .append(".</p><table><tr><th>target/s</th><th>achieved/s</th><th>calls</th>")
        .append("<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th>")
        .append("<th>errors</th><th>CPU</th><th>heap max MiB</th><th>sustained</th></tr>");
    for (Step s : steps) {
      html.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td>%.0f</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  + "<td>%s</td><td>%d</td><td>%s</td><td>%.1f</td><td>%s</td></tr>",
              s.targetRate(),
              s.achievedRate(),
              s.calls(),
              millis(s.p50Micros()),
              millis(s.p90Micros()),
              millis(s.p99Micros()),
              millis(s.p999Micros()),
              millis(s.maxMicros()),
              s.errors(),
              s.cpuLoad() < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f%%", s.cpuLoad() * 100),
              s.heapMaxBytes() / 1048576.0,
              s.sustained() ? "yes" : "<b>NO</b>"));
    }
    html.append("</table><div class=\"charts\">");
    for (String chart : charts()) {
      html.append(chart);
    }
    return html.append("</div></body></html>\n").toString();
  }

  /**
   * The report's charts, each one inline {@code <svg>} element: latency by percentile per rate (a
   * "nines" axis), p99 latency over time with the limit, achieved against target rate, process CPU
   * and heap used over time.
   */
  public List<String> charts() {
    return PressureCharts.render(toJson());
  }

  /**
   * The charts of a report as {@link #toJson()} wrote it (what an evidence page embeds); none if
   * {@code reportJson} is not a pressure report.
   */
  public static List<String> charts(String reportJson) {
    return PressureCharts.render(reportJson);
  }

  /** The CSS of the report page. */
  private static final String STYLE =
      "body{font-family:sans-serif;margin:16px}table{border-collapse:collapse}"
          + "td,th{border:1px solid #999;padding:2px 6px;text-align:right}"
          + ".charts{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}"
          + ".charts svg{border:1px solid #ddd}";

  private static String millis(long micros) {
    return Ticks.number(Math.round(micros / 10.0) / 100.0);
  }

  private static String escape(String text) {
    return SvgChart.escape(text);
  }
}
