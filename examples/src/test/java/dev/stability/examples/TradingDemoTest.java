package dev.stability.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.testkit.junit.EvidenceCollector;
import dev.stability.testkit.junit.StabilityEvidence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, run as a test: every step happens as narrated, and it exits 0. Its
 * evidence goes into the run's evidence pack (target/stability-evidence).
 */
@StabilityEvidence
class TradingDemoTest {

  @TempDir Path dir;

  @Test
  void theDemoRunsEveryStepAndEveryPieceOfEvidencePasses(EvidenceCollector pack) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    EvidenceReport report = new EvidenceReport("FUT futures core (example)");
    int status;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      status = TradingDemo.run(out, dir, false, false, report);
    }
    pack.include(report);
    String narration = buffer.toString(StandardCharsets.UTF_8);

    assertThat(status).as(narration).isZero();
    assertThat(narration)
        .contains("== 7. Evidence report")
        .contains("== every piece of evidence passed")
        .containsPattern("trading readiness of FUT/fut-a1 at .*: PASSED")
        .containsPattern("ops endpoint http://127\\.0\\.0\\.1:\\d+/")
        .containsPattern("GET /health/liveness -> 200")
        .containsPattern("\\d+s: +\\d+ orders/s, .* standby lag \\d+ records")
        .containsPattern("the breaker opened after \\d+ ms, readiness DEGRADED")
        .containsPattern("(\\d+) of \\1 trades made so far reached clearing \\(none dropped\\)")
        .contains("fault monitoring discovery rate 1.00")
        .containsPattern("at sequence \\d+: MATCH")
        .containsPattern(
            "now we corrupt the standby in its JVM: position \\{account=\\*{4}\\d{4}, instrument=IF2612\\}")
        .containsPattern(
            "differs: position \\{account=\\*{4}\\d{4}, instrument=IF2612\\}.*field=long")
        .contains("standby repaired from the primary's snapshot: MATCH")
        .contains("zhang.san approves his own request -> refused")
        .contains("OK    change-window")
        .containsPattern(
            "takeover [\\d.]+ ms at sequence \\d+, epoch 1; digests equal; 0 acknowledged")
        .contains("members on the new primary 20 of 20")
        .containsPattern("the new primary \\(array-book\\) continues: .* epoch 1");

    // No account number of the demo market (10000001...) in clear, as in the event log (R16).
    assertThat(narration).doesNotContainPattern("\\b1000\\d{4}\\b");
    String evidenceJson = Files.readString(dir.resolve("evidence/evidence.json"));
    assertThat(evidenceJson).doesNotContainPattern("\\b1000\\d{4}\\b");
    assertThat(Files.readString(dir.resolve("evidence/evidence.html")))
        .doesNotContainPattern("\\b1000\\d{4}\\b")
        .contains("data-chart=\"latency-by-percentile\"");

    JsonNode evidence = new ObjectMapper().readTree(evidenceJson);
    assertThat(evidence.get("passed").asBoolean()).isTrue();
    assertThat(evidence.get("complete").asBoolean()).as(evidence.get("summary").asText()).isTrue();
    for (JsonNode requirement : evidence.get("requirements")) {
      assertThat(requirement.get("status").asText())
          .as(requirement.get("id").asText())
          .isEqualTo("passed");
    }
    // R1 as it reads: orders and trades 3x, bandwidth 2x, each named with its own multiple.
    assertThat(narration)
        .containsPattern("capacity: orders [\\d.]+x >= 3x \\(tested")
        .containsPattern("capacity: trades [\\d.]+x >= 3x \\(tested")
        .containsPattern("capacity: bandwidth [\\d.]+x >= 2x \\(provisioned");
    JsonNode r1 = evidence.get("requirements").get(0);
    assertThat(r1.get("evidence").findValuesAsText("measured"))
        .anySatisfy(
            measured ->
                assertThat(measured).contains("orders").contains("trades").contains("bandwidth"));
    assertThat(narration)
        .containsPattern("R16 ok: (\\d+) of \\1 records naming an account carry it masked")
        .containsPattern("R17 ok: \\d+ interface records \\[clearing.send -> CLEARING\\]")
        .contains("18/18 requirements evidenced");
    // The standby ran in its own JVM: the switchover was requested and approved there, and its
    // record is in the new primary's operation log (which continues the old primary's chain).
    assertThat(narration)
        .containsPattern("standby fut-b1 \\(array-book\\) in JVM pid \\d+, replicated over Aeron")
        .containsPattern(
            "restarted \\(JVM pid \\d+\\): [\\d,]+ records replayed to it from the primary's archive")
        .containsPattern("remote lag \\d+ records .* replication-orders UP")
        .contains("localised with the standby's records of bucket(s)");
    for (JsonNode requirement : evidence.get("requirements")) {
      if (requirement.get("id").asText().equals("R9")) {
        assertThat(requirement.findValuesAsText("test"))
            .as("R9 from the main system's standby in its own JVM")
            .contains("TradingDemo.step6.remoteStandby");
      }
    }
    String newPrimaryLog;
    try (var files = Files.walk(dir.resolve("standby-host/operations"))) {
      newPrimaryLog =
          files
              .filter(Files::isRegularFile)
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .reduce("", String::concat);
    }
    assertThat(newPrimaryLog).contains("\"switchover\"").contains("li.si");
  }

  @Test
  void theNarrationAndTheDiffMaskAccountsAsTheEventLogDoes() {
    MaskingPolicy masking = MaskingPolicy.defaults();
    assertThat(
            TradingDemo.masked(
                masking,
                "   differs: position {account=10000001, instrument=IF2612} [FieldDiff[field=long]]"))
        .isEqualTo(
            "   differs: position {account=****0001, instrument=IF2612} [FieldDiff[field=long]]");
    ConsistencyDiff diff =
        new ConsistencyDiff(
            7,
            List.of(3),
            List.of(
                new ConsistencyDiff.RecordView(
                    "order", Map.of("account", "10000002"), Map.of("qty", "5"))),
            List.of(),
            List.of(
                new ConsistencyDiff.RecordDiff(
                    "position",
                    Map.of("account", "10000001", "instrument", "IF2612"),
                    List.of(new ConsistencyDiff.FieldDiff("account", "10000001", "10000003")))));

    String json = TradingDemo.masked(masking, diff).toJson();
    assertThat(json)
        .contains("****0001", "****0002", "****0003", "IF2612", "\"qty\" : \"5\"")
        .doesNotContain("10000001", "10000002", "10000003");
    // A policy that masks nothing shows them: the narration follows the runtime's policy.
    assertThat(TradingDemo.masked(MaskingPolicy.none(), "{account=10000001}"))
        .isEqualTo("{account=10000001}");
  }

  @Test
  void anUnknownFlagIsRefusedByName() {
    assertThat(TradingDemo.flags("--failover", "--pressure"))
        .containsExactly("--failover", "--pressure");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TradingDemo.flags("--presure"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown flag '--presure'; known: --pressure, --failover");
  }
}
