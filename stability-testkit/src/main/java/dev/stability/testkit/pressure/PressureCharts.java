package dev.stability.testkit.pressure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.testkit.internal.SvgChart;
import dev.stability.testkit.internal.SvgChart.Scale;
import dev.stability.testkit.internal.Ticks;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a pressure report's charts from its JSON, so that the report's page and an evidence page
 * that holds only the JSON show the same: latency by percentile (one line per rate), p99 over time
 * with the limit, achieved against target rate, CPU and heap over time. Each rate keeps its colour
 * in every chart.
 */
final class PressureCharts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUSTAINED = "#2ca02c";
  private static final String NOT_SUSTAINED = "#d62728";

  private PressureCharts() {}

  /** The charts as SVG elements; none if {@code json} is not a pressure report. */
  static List<String> render(String json) {
    JsonNode report;
    try {
      report = JSON.readTree(json);
    } catch (JsonProcessingException notJson) {
      return List.of();
    }
    if (report == null
        || !PressureReport.REPORT_TYPE.equals(report.path("report").asText())
        || !report.path("steps").isArray()) {
      return List.of();
    }
    JsonNode steps = report.get("steps");
    double limitMs = report.path("p99_limit_us").asDouble() / 1_000;
    String limit = "p99 limit " + Ticks.number(limitMs) + " ms";
    return List.of(
        latencyByPercentile(steps, limitMs, limit),
        p99OverTime(steps, limitMs, limit),
        achievedAgainstTarget(steps),
        cpuOverTime(steps),
        heapOverTime(steps));
  }

  private static String latencyByPercentile(JsonNode steps, double limitMs, String limit) {
    SvgChart.Builder chart =
        SvgChart.builder("latency-by-percentile", "Latency by percentile")
            .x("percentile (nines scale: x = -log10(1 - p))", Scale.NINES)
            .y("latency from the due time (ms, log scale)", Scale.LOG)
            .note("one line per target rate");
    for (int i = 0; i < steps.size(); i++) {
      JsonNode spectrum = steps.get(i).path("spectrum");
      double[] xs = new double[spectrum.size()];
      double[] ys = new double[spectrum.size()];
      for (int j = 0; j < spectrum.size(); j++) {
        xs[j] = spectrum.get(j).path("percentile").asDouble();
        ys[j] = spectrum.get(j).path("us").asDouble() / 1_000;
      }
      chart.line(label(steps.get(i)), SvgChart.color(i), xs, ys);
    }
    return chart.horizontal(limit, SvgChart.LIMIT, limitMs).build().svg();
  }

  private static String p99OverTime(JsonNode steps, double limitMs, String limit) {
    List<double[][]> series = new ArrayList<>();
    double lowest = Double.POSITIVE_INFINITY;
    double highest = limitMs;
    for (JsonNode step : steps) {
      List<double[]> points = new ArrayList<>();
      for (JsonNode t : step.path("timeline")) {
        if (t.path("calls").asLong() > 0) {
          double p99 = t.path("p99_us").asDouble() / 1_000;
          points.add(new double[] {t.path("at_ms").asDouble() / 1_000, p99});
          lowest = Math.min(lowest, p99);
          highest = Math.max(highest, p99);
        }
      }
      series.add(points.toArray(new double[0][]));
    }
    // Log when the values span more than two decades (a step that fell behind), else linear from 0.
    boolean log = lowest > 0 && highest / lowest > 100;
    SvgChart.Builder chart =
        SvgChart.builder("p99-over-time", "p99 latency over time")
            .x("time since the test started (s; warm-ups not measured)", Scale.LINEAR, 0)
            .note("p99 of each sampling interval");
    if (log) {
      chart.y("p99 latency (ms, log scale)", Scale.LOG);
    } else {
      chart.y("p99 latency (ms)", Scale.LINEAR, 0);
    }
    for (int i = 0; i < series.size(); i++) {
      chart.line(label(steps.get(i)), SvgChart.color(i), xs(series.get(i)), ys(series.get(i)));
    }
    return chart.horizontal(limit, SvgChart.LIMIT, limitMs).build().svg();
  }

  private static String achievedAgainstTarget(JsonNode steps) {
    List<double[]> sustained = new ArrayList<>();
    List<double[]> notSustained = new ArrayList<>();
    for (JsonNode step : steps) {
      double[] point = {step.path("target_rate").asDouble(), step.path("achieved_rate").asDouble()};
      (step.path("sustained").asBoolean() ? sustained : notSustained).add(point);
    }
    double[][] yes = sustained.toArray(new double[0][]);
    double[][] no = notSustained.toArray(new double[0][]);
    double top = 0;
    for (JsonNode step : steps) {
      top = Math.max(top, step.path("target_rate").asDouble());
    }
    // Both axes to the highest target, so that y = x crosses the whole chart.
    return SvgChart.builder("achieved-vs-target", "Achieved against target rate")
        .x("target rate (calls/s)", Scale.LINEAR, 0)
        .y("achieved rate (calls/s, completed in the window)", Scale.LINEAR, 0, top)
        .diagonal("achieved = target", SvgChart.REFERENCE)
        .points("sustained", SUSTAINED, xs(yes), ys(yes))
        .points("not sustained", NOT_SUSTAINED, xs(no), ys(no))
        .build()
        .svg();
  }

  private static String cpuOverTime(JsonNode steps) {
    SvgChart.Builder chart =
        SvgChart.builder("cpu-over-time", "Process CPU over time")
            .x("time since the test started (s)", Scale.LINEAR, 0)
            .y("process CPU (% of all cores)", Scale.LINEAR, 0, 100);
    for (int i = 0; i < steps.size(); i++) {
      List<double[]> points = new ArrayList<>();
      for (JsonNode t : steps.get(i).path("timeline")) {
        double load = t.path("cpu_load").asDouble(-1);
        if (load >= 0) {
          points.add(new double[] {t.path("at_ms").asDouble() / 1_000, load * 100});
        }
      }
      double[][] p = points.toArray(new double[0][]);
      chart.line(label(steps.get(i)), SvgChart.color(i), xs(p), ys(p));
    }
    return chart.build().svg();
  }

  private static String heapOverTime(JsonNode steps) {
    SvgChart.Builder chart =
        SvgChart.builder("heap-over-time", "Heap used over time")
            .x("time since the test started (s)", Scale.LINEAR, 0)
            .y("heap used (MiB)", Scale.LINEAR, 0);
    for (int i = 0; i < steps.size(); i++) {
      List<double[]> points = new ArrayList<>();
      for (JsonNode t : steps.get(i).path("timeline")) {
        points.add(
            new double[] {
              t.path("at_ms").asDouble() / 1_000, t.path("heap_used_bytes").asDouble() / 1048576
            });
      }
      double[][] p = points.toArray(new double[0][]);
      chart.line(label(steps.get(i)), SvgChart.color(i), xs(p), ys(p));
    }
    return chart.build().svg();
  }

  /** {@code 3000/s}, or {@code 4000/s (not sustained)}. */
  private static String label(JsonNode step) {
    return step.path("target_rate").asLong()
        + "/s"
        + (step.path("sustained").asBoolean(true) ? "" : " (not sustained)");
  }

  private static double[] xs(double[][] points) {
    double[] xs = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      xs[i] = points[i][0];
    }
    return xs;
  }

  private static double[] ys(double[][] points) {
    double[] ys = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      ys[i] = points[i][1];
    }
    return ys;
  }
}
