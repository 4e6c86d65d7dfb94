package dev.stability.testkit.pressure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stability.core.capacity.CapacityIndicator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link PressureTest} measured (R1, R2): per rate, the achieved rate, latency percentiles
 * (from the time each call was due), errors, CPU and heap, and latency over time; as JSON and as a
 * self-contained HTML page with two SVG plots (no network resources). Immutable.
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
   * @param timeline latency per second of the step
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
      Duration p99Limit,
      double maxErrorRatio) {

    /** Copies. */
    public Step {
      timeline = List.copyOf(timeline);
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
   * One second of a step.
   *
   * @param second seconds since the step started
   * @param calls calls completed in that second
   * @param p99Micros their p99 latency from the due time
   * @param maxMicros their worst
   */
  public record TimelinePoint(long second, long calls, long p99Micros, long maxMicros) {}

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
      s.put("timeline", step.timeline());
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
   * The report as one HTML page: a table of the steps, p99 latency over time and throughput against
   * p99, drawn as inline SVG.
   */
  public String toHtml() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Pressure test ")
        .append(escape(name))
        .append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse}")
        .append(
            "td,th{border:1px solid #999;padding:2px 6px;text-align:right}</style></head><body>")
        .append("<h1>Pressure test ")
        .append(escape(name))
        .append("</h1><p>Sustained ")
        .append(Math.round(sustainedRate()))
        .append(" calls/s with p99 &lt;= ")
        .append(p99Limit.toNanos() / 1_000)
        .append(
            " &micro;s.</p><table><tr><th>target/s</th><th>achieved/s</th><th>p50 &micro;s</th>")
        .append(
            "<th>p99 &micro;s</th><th>max &micro;s</th><th>errors</th><th>CPU</th><th>heap MiB</th>")
        .append("<th>sustained</th></tr>");
    for (Step s : steps) {
      html.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td>%.0f</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%.0f%%</td>"
                  + "<td>%.1f</td><td>%s</td></tr>",
              s.targetRate(),
              s.achievedRate(),
              s.p50Micros(),
              s.p99Micros(),
              s.maxMicros(),
              s.errors(),
              s.cpuLoad() * 100,
              s.heapMaxBytes() / 1048576.0,
              s.sustained() ? "yes" : "NO"));
    }
    html.append("</table><h2>p99 latency over time (&micro;s)</h2>").append(latencySvg());
    html.append("<h2>Throughput against p99 latency</h2>").append(throughputSvg());
    return html.append("</body></html>\n").toString();
  }

  private String latencySvg() {
    List<long[]> points = new ArrayList<>();
    long t = 0;
    for (Step step : steps) {
      for (TimelinePoint second : step.timeline()) {
        points.add(new long[] {t++, second.p99Micros()});
      }
    }
    long maxY = Math.max(1, points.stream().mapToLong(p -> p[1]).max().orElse(1));
    long maxX = Math.max(1, t - 1);
    StringBuilder path = new StringBuilder();
    for (long[] p : points) {
      path.append(path.length() == 0 ? "" : " ")
          .append(
              String.format(
                  Locale.ROOT, "%.1f,%.1f", 40 + 560.0 * p[0] / maxX, 210 - 190.0 * p[1] / maxY));
    }
    return svg(
        "seconds",
        "p99 us " + maxY,
        "<polyline fill=\"none\" stroke=\"#c33\" points=\"" + path + "\"/>");
  }

  private String throughputSvg() {
    double maxX = Math.max(1, steps.stream().mapToDouble(Step::achievedRate).max().orElse(1));
    long maxY = Math.max(1, steps.stream().mapToLong(Step::p99Micros).max().orElse(1));
    StringBuilder dots = new StringBuilder();
    for (Step s : steps) {
      dots.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>",
              40 + 560.0 * s.achievedRate() / maxX,
              210 - 190.0 * s.p99Micros() / maxY,
              s.sustained() ? "#393" : "#c33"));
    }
    return svg("calls/s " + Math.round(maxX), "p99 us " + maxY, dots.toString());
  }

  private static String svg(String xLabel, String yLabel, String content) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"620\" height=\"240\">"
        + "<line x1=\"40\" y1=\"210\" x2=\"600\" y2=\"210\" stroke=\"#000\"/>"
        + "<line x1=\"40\" y1=\"20\" x2=\"40\" y2=\"210\" stroke=\"#000\"/>"
        + "<text x=\"520\" y=\"230\" font-size=\"11\">"
        + escape(xLabel)
        + "</text>"
        + "<text x=\"2\" y=\"14\" font-size=\"11\">"
        + escape(yLabel)
        + "</text>"
        + content
        + "</svg>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
