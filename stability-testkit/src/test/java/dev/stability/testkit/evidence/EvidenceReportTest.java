package dev.stability.testkit.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.internal.SvgDocuments;
import dev.stability.testkit.pressure.PressureReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceReportTest {

  @TempDir Path dir;

  private static PressureReport pressure(double achieved) {
    PressureReport.Step step =
        new PressureReport.Step(
            30_000,
            achieved,
            300_000,
            0,
            80,
            150,
            900,
            2_000,
            5_000,
            0.6,
            64 << 20,
            List.of(
                new PressureReport.TimelinePoint(1_500, 15_000, 850, 3_000, 0.55, 60 << 20),
                new PressureReport.TimelinePoint(2_000, 15_000, 950, 5_000, 0.65, 64 << 20)),
            List.of(
                new PressureReport.PercentilePoint(0, 20),
                new PressureReport.PercentilePoint(50, 80),
                new PressureReport.PercentilePoint(90, 150),
                new PressureReport.PercentilePoint(99, 900),
                new PressureReport.PercentilePoint(99.9, 2_000),
                new PressureReport.PercentilePoint(99.9997, 5_000)),
            Duration.ofMillis(2),
            0);
    return new PressureReport("orders", Duration.ofMillis(2), 0, List.of(step), 0, 10_000);
  }

  @Test
  void evidenceIsListedByRequirementWithWhatWasMeasuredAndWhetherItPassed() throws Exception {
    EvidenceReport evidence =
        pressureDrillAndCampaign(
            new DiscoveryReport.Result("link errors", true, Duration.ofMillis(40), "event X"),
            new DiscoveryReport.Result("silent", false, null, "nothing"));
    Path html = evidence.write(dir);

    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("evidence.json")));
    assertThat(json.get("passed").asBoolean()).as("the discovery rate 0.5 is below 0.9").isFalse();
    JsonNode requirements = json.get("requirements");
    assertThat(requirements).hasSize(18);
    assertThat(requirements.get(0).get("id").asText()).isEqualTo("R1");
    assertThat(requirements.get(0).get("status").asText()).isEqualTo("passed");
    assertThat(requirements.get(0).get("evidence").get(0).get("measured").asText())
        .isEqualTo("sustained 30000/s with p99 <= 2000 us; required 30000/s");
    assertThat(requirements.get(12).get("id").asText()).isEqualTo("R13");
    assertThat(requirements.get(12).get("status").asText()).isEqualTo("FAILED");
    assertThat(requirements.get(3).get("status").asText()).isEqualTo("no evidence in this run");
    assertThat(requirements.get(9).get("evidence").get(0).get("measured").asText())
        .isEqualTo("digests equal at the switch sequence");
    assertThat(requirements.get(0).get("evidence").get(0).get("detail").get("name").asText())
        .as("the full report is embedded as JSON, not as a string")
        .isEqualTo("orders");
    assertThat(requirements.get(17).get("evidence").get(0).get("measured").asText())
        .isEqualTo("takeover 6.0 ms, 0 acknowledged records lost");

    String page = Files.readString(html);
    assertThat(page).contains("R13 fault monitoring discovery rate").contains("FAILED");
    assertThat(page).contains("no evidence in this run");
  }

  @Test
  void aPressureTestBelowTheRequiredRateFailsR1() {
    EvidenceReport evidence = new EvidenceReport("OMS").pressure("t", pressure(20_000), 30_000);
    assertThat(evidence.passed()).isFalse();
    assertThat(evidence.toJson()).contains("sustained 0/s with p99 <= 2000 us; required 30000/s");
    // Sustained at 30,000/s, but the requirement is 3 x 10,001: not enough.
    assertThat(new EvidenceReport("OMS").pressure("t", pressure(30_000), 30_003).passed())
        .isFalse();
  }

  @Test
  void anEmptyReportDoesNotPass() {
    EvidenceReport evidence = new EvidenceReport("OMS");
    assertThat(evidence.passed()).isFalse();
    assertThat(evidence.toHtml()).contains("No evidence was collected.");
  }

  @Test
  void unknownRequirementsAreRefused() {
    EvidenceReport evidence = new EvidenceReport("OMS");
    assertThatThrownBy(() -> evidence.add(new EvidenceReport.Evidence("R99", "t", "x", true, "{}")))
        .hasMessageStartingWith("unknown requirement 'R99'; known: [R1, R2,");
  }

  @Test
  void aDetailThatIsNotJsonIsRefusedNamingRequirementAndTest() {
    EvidenceReport evidence = new EvidenceReport("OMS");
    assertThatThrownBy(
            () ->
                evidence.add(
                    new EvidenceReport.Evidence("R4", "LogIT#kept", "x", true, "kept a year")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the detail of evidence for R4 from LogIT#kept is not JSON");
    assertThat(evidence.evidence()).isEmpty();
  }

  @Test
  void aBlankPartOfEvidenceIsRefusedByName() {
    assertThatThrownBy(() -> new EvidenceReport.Evidence("R4", "LogIT#kept", " ", true, "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("evidence for R4 from LogIT#kept needs a non-blank measured");
    assertThatThrownBy(() -> new EvidenceReport.Evidence("R4", null, "x", true, "{}"))
        .hasMessage("evidence for R4 needs a non-blank test");
  }

  @Test
  void theSummaryCountsEvidencedRequirementsAndNamesTheMissingOnes() throws Exception {
    EvidenceReport evidence = new EvidenceReport("OMS").pressure("t", pressure(30_000), 30_000);
    evidence.add(new EvidenceReport.Evidence("R17", "t", "interface records", false, "{}"));

    assertThat(evidence.missing()).hasSize(15).doesNotContain("R1", "R2", "R17");
    assertThat(evidence.complete()).isFalse();
    assertThat(evidence.summary())
        .isEqualTo(
            "3/18 requirements evidenced, 2/3 pieces of evidence passed; no evidence for R3, R4,"
                + " R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R18");
    JsonNode json = new ObjectMapper().readTree(evidence.toJson());
    assertThat(json.get("complete").asBoolean()).isFalse();
    assertThat(json.get("missing")).hasSize(15);
    assertThat(evidence.toHtml()).contains("3/18 requirements evidenced");
  }

  @Test
  void everyRequirementPassedMakesTheReportComplete() {
    EvidenceReport evidence = new EvidenceReport("OMS");
    for (String id : EvidenceReport.requirements()) {
      evidence.add(new EvidenceReport.Evidence(id, "t", "measured " + id, true, "{}"));
    }
    assertThat(evidence.complete()).isTrue();
    assertThat(evidence.summary())
        .isEqualTo("18/18 requirements evidenced, 18/18 pieces of evidence passed");
  }

  @Test
  void thePageShowsEachPieceOfEvidenceOnceWithAPressureTestsChartsAndOtherNumbersAsTables()
      throws Exception {
    EvidenceReport evidence =
        pressureDrillAndCampaign(
            new DiscoveryReport.Result("link <errors>", true, Duration.ofMillis(40), "event X"));
    evidence.add(new EvidenceReport.Evidence("R4", "LogIT", "kept", true, "{}"));
    String page = evidence.toHtml();

    // The pressure test backs R1 and R2 with one report: its five charts are on the page once.
    List<String> charts = svgs(page);
    assertThat(charts).hasSize(5);
    assertThat(charts)
        .extracting(svg -> svg.substring(0, svg.indexOf('>')))
        .anySatisfy(start -> assertThat(start).contains("data-chart=\"latency-by-percentile\""))
        .anySatisfy(start -> assertThat(start).contains("data-chart=\"p99-over-time\""))
        .anySatisfy(start -> assertThat(start).contains("data-chart=\"achieved-vs-target\""));
    for (String svg : charts) {
      assertThat(SvgDocuments.parse(svg).getDocumentElement()).isNotNull();
    }
    // Three sections (pressure, drill, campaign); the item with an empty detail has none.
    assertThat(page.split("<section ", -1)).hasSize(4);
    assertThat(page)
        .contains(
            "Evidence for R1 (<span class=\"ok\">passed</span>), R2 (<span class=\"ok\">passed")
        .contains("<a href=\"#detail-1\">charts</a>")
        .contains("<a href=\"#detail-2\">numbers</a>")
        .contains("<th>takeover_ms</th><td class=\"n\">6.0</td>")
        .contains("<td>link &lt;errors&gt;</td>")
        .contains("Per row also spectrum, timeline: in evidence.json.")
        .doesNotContain("<script");
    assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
  }

  /** Every {@code <svg>...</svg>} element of a page. */
  static List<String> svgs(String page) {
    List<String> svgs = new java.util.ArrayList<>();
    for (int at = page.indexOf("<svg"); at >= 0; at = page.indexOf("<svg", at + 1)) {
      svgs.add(page.substring(at, page.indexOf("</svg>", at) + "</svg>".length()));
    }
    return svgs;
  }

  /** A pressure test, a planned drill and a discovery campaign (required rate 0.9) of OMS. */
  private static EvidenceReport pressureDrillAndCampaign(DiscoveryReport.Result... results) {
    return new EvidenceReport("OMS")
        .pressure("PressureIT.orders", pressure(29_800), 30_000)
        .drill(
            "DrillIT.planned",
            new DrillReport(
                "planned",
                Instant.now(),
                Duration.ofMillis(6),
                1_000,
                990,
                0,
                0,
                0,
                true,
                5,
                5,
                List.of()))
        .discovery(
            "DiscoveryIT", new DiscoveryReport(Duration.ofSeconds(2), List.of(results)), 0.9);
  }
}
