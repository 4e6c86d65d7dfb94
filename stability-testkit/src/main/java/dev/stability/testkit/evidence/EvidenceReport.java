package dev.stability.testkit.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stability.core.health.HealthReport;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.internal.SvgChart;
import dev.stability.testkit.pressure.PressureReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One report of the evidence a test run produced, by requirement (R1–R18 of docs/requirements.md):
 * for each, which test gave evidence, what was measured, and whether it passed; requirements with
 * no evidence in this run say so. Written as JSON and as a self-contained HTML page: what a firm
 * hands to an auditor. Collect as the tests run, write at the end. Thread-safe.
 */
public final class EvidenceReport {

  /**
   * One piece of evidence.
   *
   * @param requirement the requirement id, e.g. {@code R1}
   * @param test which test produced it
   * @param measured what was measured, in one line
   * @param passed whether it met the requirement
   * @param detail the full report (JSON) it came from
   */
  public record Evidence(
      String requirement, String test, String measured, boolean passed, String detail) {

    /**
     * Checks every part.
     *
     * @throws IllegalArgumentException naming the part that is missing or blank
     */
    public Evidence {
      for (String[] part :
          new String[][] {
            {"requirement", requirement}, {"test", test}, {"measured", measured}, {"detail", detail}
          }) {
        if (part[1] == null || part[1].isBlank()) {
          throw new IllegalArgumentException(
              "evidence "
                  + (requirement == null ? "" : "for " + requirement + " ")
                  + (test == null ? "" : "from " + test + " ")
                  + "needs a non-blank "
                  + part[0]);
        }
      }
    }
  }

  /** The requirements this SDK gives evidence for, with their one-line meaning. */
  private static final Map<String, String> REQUIREMENTS = new LinkedHashMap<>();

  static {
    REQUIREMENTS.put("R1", "capacity at least 3x the historical peak");
    REQUIREMENTS.put("R2", "stress tests report peak and average rate, latency, CPU and memory");
    REQUIREMENTS.put("R3", "monitoring of processes and key business indicators");
    REQUIREMENTS.put("R4", "monitoring and operation logs kept at least one year");
    REQUIREMENTS.put("R5", "every operation recorded with operator and reviewer");
    REQUIREMENTS.put("R6", "no changes during trading hours except emergencies");
    REQUIREMENTS.put("R7", "systems in normal working state before the next trading day");
    REQUIREMENTS.put("R8", "emergency drills at least every half year");
    REQUIREMENTS.put("R9", "heterogeneous standby taking over from the breakpoint");
    REQUIREMENTS.put("R10", "continuous consistency audit between primary and standby");
    REQUIREMENTS.put("R11", "members reconnect after a switch");
    REQUIREMENTS.put("R12", "two independent monitoring views, fast root cause");
    REQUIREMENTS.put("R13", "fault monitoring discovery rate");
    REQUIREMENTS.put("R14", "protection of dependencies (guards)");
    REQUIREMENTS.put("R15", "secured operations interface");
    REQUIREMENTS.put("R16", "sensitive data masked in logs");
    REQUIREMENTS.put("R17", "interface calls logged with serial, peer, duration and result");
    REQUIREMENTS.put("R18", "switch time and data loss measured");
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String system;
  private final List<Evidence> evidence = new ArrayList<>();

  /** An empty report for {@code system}. */
  public EvidenceReport(String system) {
    this.system = system;
  }

  /**
   * Adds any evidence.
   *
   * @throws IllegalArgumentException for an unknown requirement, or a detail that is not JSON
   */
  public synchronized EvidenceReport add(Evidence item) {
    if (!REQUIREMENTS.containsKey(item.requirement())) {
      throw new IllegalArgumentException(
          "unknown requirement '" + item.requirement() + "'; known: " + REQUIREMENTS.keySet());
    }
    try {
      JSON.readTree(item.detail());
    } catch (JsonProcessingException notJson) {
      throw new IllegalArgumentException(
          "the detail of evidence for "
              + item.requirement()
              + " from "
              + item.test()
              + " is not JSON: "
              + notJson.getOriginalMessage(),
          notJson);
    }
    evidence.add(item);
    return this;
  }

  /** The ids of every requirement (R1–R18), in order. */
  public static List<String> requirements() {
    return List.copyOf(REQUIREMENTS.keySet());
  }

  /** Every piece of evidence so far, in the order added. */
  public synchronized List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  /** The requirements with no evidence yet, in order. */
  public synchronized List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (String id : REQUIREMENTS.keySet()) {
      if (evidence.stream().noneMatch(e -> e.requirement().equals(id))) {
        missing.add(id);
      }
    }
    return missing;
  }

  /** Whether every requirement (R1–R18) has evidence and every piece of it passed. */
  public synchronized boolean complete() {
    return passed() && missing().isEmpty();
  }

  /**
   * One line: how many requirements have evidence, how many pieces passed, and which requirements
   * have none; e.g. {@code 18/18 requirements evidenced, 24/24 pieces of evidence passed}.
   */
  public synchronized String summary() {
    List<String> missing = missing();
    long passedItems = evidence.stream().filter(Evidence::passed).count();
    return (REQUIREMENTS.size() - missing.size())
        + "/"
        + REQUIREMENTS.size()
        + " requirements evidenced, "
        + passedItems
        + "/"
        + evidence.size()
        + " pieces of evidence passed"
        + (missing.isEmpty() ? "" : "; no evidence for " + String.join(", ", missing));
  }

  /** A pressure test: R1 (sustained >= {@code requiredRate}) and R2 (the report itself). */
  public EvidenceReport pressure(String test, PressureReport report, double requiredRate) {
    String detail = report.toJson();
    add(
        new Evidence(
            "R1",
            test,
            String.format(
                Locale.ROOT,
                "sustained %.0f/s with p99 <= %d us; required %.0f/s",
                report.sustainedRate(),
                report.p99Limit().toNanos() / 1_000,
                requiredRate),
            report.sustainedRate() >= requiredRate,
            detail));
    add(
        new Evidence(
            "R2",
            test,
            report.steps().size() + " rates with achieved rate, latency percentiles, CPU and heap",
            !report.steps().isEmpty() && report.steps().stream().allMatch(s -> s.cpuLoad() >= 0),
            detail));
    return this;
  }

  /** A switch drill: R8, R11 (clients back) and R18 (takeover and loss). */
  public EvidenceReport drill(String test, DrillReport report) {
    String detail = report.toJson();
    add(new Evidence("R8", test, report.kind() + " drill", report.passed(), detail));
    add(
        new Evidence(
            "R10",
            test,
            "digests "
                + (report.digestsEqual() ? "equal" : "DIFFERENT")
                + " at the switch sequence",
            report.digestsEqual(),
            detail));
    add(
        new Evidence(
            "R11",
            test,
            report.clientsReconnected() + " of " + report.clients() + " clients reconnected",
            report.clientsReconnected() == report.clients(),
            detail));
    add(
        new Evidence(
            "R18",
            test,
            String.format(
                Locale.ROOT,
                "takeover %.1f ms, %d acknowledged records lost",
                report.takeover().toNanos() / 1e6,
                report.lostAcknowledged()),
            report.lostAcknowledged() == 0 && report.passed(),
            detail));
    return this;
  }

  /** A discovery-rate campaign: R13, passed when the rate reaches {@code minimum}. */
  public EvidenceReport discovery(String test, DiscoveryReport report, double minimum) {
    add(
        new Evidence(
            "R13",
            test,
            String.format(
                Locale.ROOT, "discovery rate %.2f (minimum %.2f)", report.rate(), minimum),
            report.rate() >= minimum,
            report.toJson()));
    return this;
  }

  /** A trading-readiness run: R7. */
  public EvidenceReport readiness(String test, HealthReport report) {
    add(
        new Evidence(
            "R7",
            test,
            report.checks().size() + " checks, status " + report.status(),
            report.passed(),
            report.toJson()));
    return this;
  }

  /** Whether there is evidence and every piece of it passed. */
  public synchronized boolean passed() {
    return !evidence.isEmpty() && evidence.stream().allMatch(Evidence::passed);
  }

  /**
   * Writes {@code evidence.json} and {@code evidence.html} into {@code directory}; returns the
   * HTML.
   */
  public synchronized Path write(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("evidence.json"), toJson(), StandardCharsets.UTF_8);
      Path html = directory.resolve("evidence.html");
      Files.writeString(html, toHtml(), StandardCharsets.UTF_8);
      return html;
    } catch (IOException e) {
      throw new UncheckedIOException("the evidence report cannot be written to " + directory, e);
    }
  }

  /** The report as JSON: one entry per requirement, with its evidence (possibly none). */
  public synchronized String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("system", system);
    body.put("generated", Instant.now().toString());
    body.put("passed", passed());
    body.put("complete", complete());
    body.put("summary", summary());
    body.put("missing", missing());
    List<Map<String, Object>> requirements = new ArrayList<>();
    for (Map.Entry<String, String> requirement : REQUIREMENTS.entrySet()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", requirement.getKey());
      r.put("meaning", requirement.getValue());
      List<Map<String, Object>> items = new ArrayList<>();
      for (Evidence e : evidence) {
        if (e.requirement().equals(requirement.getKey())) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("test", e.test());
          item.put("measured", e.measured());
          item.put("passed", e.passed());
          item.put("detail", tree(e.detail()));
          items.add(item);
        }
      }
      r.put(
          "status",
          items.isEmpty()
              ? "no evidence in this run"
              : items.stream().allMatch(i -> (Boolean) i.get("passed")) ? "passed" : "FAILED");
      r.put("evidence", items);
      requirements.add(r);
    }
    body.put("requirements", requirements);
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The report as one self-contained HTML page (no script, no network resource): a table by
   * requirement, then each distinct piece of evidence in detail, once however many requirements it
   * supports: a pressure test's charts (latency by percentile, p99 over time, achieved against
   * target rate, CPU and heap) and its steps, and any other detail's numbers as tables.
   */
  public synchronized String toHtml() {
    StringBuilder html =
        new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Evidence ")
            .append(escape(system))
            .append("</title><style>")
            .append(STYLE)
            .append("</style></head><body><h1>")
            .append("Stability evidence: ")
            .append(escape(system))
            .append("</h1><p>Generated ")
            .append(Instant.now())
            .append(
                evidence.isEmpty()
                    ? ". <b class=\"bad\">No evidence was collected.</b>"
                    : passed()
                        ? ". Every piece of evidence passed."
                        : ". <b class=\"bad\">Some evidence failed.</b>")
            .append(" ")
            .append(escape(summary()))
            .append(".")
            .append("</p><table class=\"requirements\"><tr><th>requirement</th><th>status</th>")
            .append("<th>test</th>")
            .append("<th>measured</th><th>detail</th></tr>");
    // Each distinct detail once (a drill's report is the evidence of four requirements).
    Map<String, List<Evidence>> details = new LinkedHashMap<>();
    Map<String, List<String>> charts = new LinkedHashMap<>();
    for (Evidence e : evidence) {
      if (!tree(e.detail()).isEmpty()) {
        String key = e.test() + '\u0000' + e.detail();
        details.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        charts.computeIfAbsent(key, k -> PressureReport.charts(e.detail()));
      }
    }
    List<String> keys = new ArrayList<>(details.keySet());
    for (Map.Entry<String, String> requirement : REQUIREMENTS.entrySet()) {
      List<Evidence> items =
          evidence.stream().filter(e -> e.requirement().equals(requirement.getKey())).toList();
      String label = escape(requirement.getKey() + " " + requirement.getValue());
      if (items.isEmpty()) {
        html.append("<tr><td>")
            .append(label)
            .append("</td><td class=\"none\">no evidence in this run</td><td></td><td></td>")
            .append("<td></td></tr>");
      }
      for (Evidence e : items) {
        String key = e.test() + '\u0000' + e.detail();
        int detail = keys.indexOf(key);
        html.append("<tr><td>")
            .append(label)
            .append("</td><td class=\"")
            .append(e.passed() ? "ok\">passed" : "bad\">FAILED")
            .append("</td><td class=\"test\">")
            .append(escape(e.test()))
            .append("</td><td>")
            .append(escape(e.measured()))
            .append("</td><td>")
            .append(
                detail < 0
                    ? ""
                    : "<a href=\"#detail-"
                        + (detail + 1)
                        + "\">"
                        + (charts.get(key).isEmpty() ? "numbers" : "charts")
                        + "</a>")
            .append("</td></tr>");
      }
    }
    html.append("</table>");
    if (!keys.isEmpty()) {
      html.append("<h2>The evidence in detail</h2>");
    }
    for (int i = 0; i < keys.size(); i++) {
      List<Evidence> items = details.get(keys.get(i));
      Evidence first = items.get(0);
      html.append("<section id=\"detail-")
          .append(i + 1)
          .append("\"><h3>")
          .append(escape(first.test()))
          .append("</h3><p>Evidence for ");
      for (int k = 0; k < items.size(); k++) {
        Evidence e = items.get(k);
        html.append(k == 0 ? "" : ", ")
            .append(escape(e.requirement()))
            .append(" (<span class=\"")
            .append(e.passed() ? "ok\">passed" : "bad\">FAILED")
            .append("</span>)");
      }
      html.append(".</p>");
      if (!charts.get(keys.get(i)).isEmpty()) {
        html.append("<div class=\"charts\">");
        charts.get(keys.get(i)).forEach(html::append);
        html.append("</div>");
      }
      DetailTables.append(html, tree(first.detail()));
      html.append("</section>");
    }
    return html.append("</body></html>\n").toString();
  }

  private static final String STYLE =
      "body{font-family:sans-serif;margin:16px}table{border-collapse:collapse}"
          + "table.requirements{width:100%}h3{overflow-wrap:anywhere}"
          + "td,th{border:1px solid #999;padding:3px 6px;vertical-align:top;text-align:left}"
          + "td.test{overflow-wrap:anywhere;min-width:12em}"
          + "td.n{text-align:right}.ok{color:#262}.bad{color:#a22}.none{color:#777}"
          + "section{margin-top:24px;border-top:1px solid #ccc}"
          + ".charts{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}"
          + ".charts svg{border:1px solid #ddd}table.detail{margin:6px 0;font-size:90%}";

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String escape(String text) {
    return SvgChart.escape(text);
  }
}
