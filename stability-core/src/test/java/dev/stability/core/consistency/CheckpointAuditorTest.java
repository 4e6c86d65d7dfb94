package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.event.LogRecord;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.consistency.Positions.Position;
import dev.stability.core.consistency.StateDigestProperties.MapStore;
import dev.stability.core.consistency.StateDigestProperties.SortedArrayStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A primary (HashMap of records) and a heterogeneous standby (sorted array of rows) follow the same
 * stream; the auditor compares their checkpoints and localises an injected corruption.
 */
class CheckpointAuditorTest {

  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StabilityRuntime runtime;
  private CheckpointAuditor auditor;
  private final MapStore primary = new MapStore();
  private final SortedArrayStore standby = new SortedArrayStore();

  @BeforeEach
  void start() {
    runtime =
        TestRuntimes.quiet("a1")
            .clock(
                ManualClock.at(Instant.parse("2026-11-30T08:00:00Z"), ZoneId.of("Asia/Shanghai")))
            .meterRegistry(registry)
            .eventSink(sink)
            .build();
    auditor = runtime.consistency().auditor();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private static Position position(Random random) {
    return new Position(
        "A00" + random.nextInt(10),
        List.of("IF2612", "IC2612", "T2603").get(random.nextInt(3)),
        random.nextInt(100),
        random.nextInt(100),
        BigDecimal.valueOf(random.nextInt(1_000_000), 2),
        random.nextBoolean());
  }

  private List<LogRecord> events(String code) throws InterruptedException {
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    return sink.withCode(code);
  }

  private static Checkpoint checkpoint(String source, long seq, StateDigest digest) {
    return Checkpoint.of(source, seq, 3, digest);
  }

  @Test
  void findsTheFirstMismatchingCheckpointAndTheExactKeyAndField() throws Exception {
    Random random = new Random(42);
    // An account the random stream never touches, so the corruption below stays in place.
    Position quiet = new Position("Z001", "IF2612", 20, 10, new BigDecimal("3999.80"), false);
    primary.apply(quiet);
    standby.apply(quiet);
    long seq = 0;
    for (int round = 1; round <= 5; round++) {
      for (int i = 0; i < 200; i++) {
        Position op = position(random);
        primary.apply(op);
        standby.apply(op);
        seq++;
      }
      if (round == 4) {
        // The standby's state is corrupted: one position's short quantity is wrong.
        Positions.Row row = standby.rows.get(standby.rows.size() - 1);
        standby.digest.remove(Positions.ROW, row);
        row.shortQty += 7;
        standby.digest.add(Positions.ROW, row);
      }
      assertThat(auditor.standby(checkpoint("oms-b1", seq, standby.digest))).isEmpty();
      AuditResult result = auditor.primary(checkpoint("oms-a1", seq, primary.digest)).orElseThrow();
      assertThat(result.matched()).isEqualTo(round < 4);
    }

    assertThat(auditor.lastMatchedSequence()).hasValue(600);
    assertThat(auditor.firstMismatchSequence()).hasValue(800);
    List<LogRecord> mismatches = events("CONSISTENCY_MISMATCH");
    assertThat(mismatches).hasSize(1); // the same divergence at 1000 is counted, not re-reported
    assertThat(mismatches.get(0).get(dev.stability.api.event.LogField.JOURNAL_SEQ)).isEqualTo(800L);
    assertThat(mismatches.get(0).attrs()).containsEntry("last_matched", "600");
    assertThat(registry.get("stability.consistency.checks").counter().count()).isEqualTo(5);
    assertThat(registry.get("stability.consistency.mismatches").counter().count()).isEqualTo(2);
    assertThat(registry.get("stability.consistency.last.matched.sequence").gauge().value())
        .isEqualTo(600);

    // Localise at the latest checkpoint: both sides hold that state now.
    AuditResult latest =
        auditor.compare(
            checkpoint("oms-a1", 1000, primary.digest), checkpoint("oms-b1", 1000, standby.digest));
    assertThat(latest.differingBuckets()).hasSize(1);
    Positions.Row corrupted = standby.rows.get(standby.rows.size() - 1);
    assertThat(corrupted.account).isEqualTo("Z001");
    ConsistencyDiff diff = auditor.localise(latest, primarySource(), standbySource());
    assertThat(diff.onlyInPrimary()).isEmpty();
    assertThat(diff.onlyInStandby()).isEmpty();
    assertThat(diff.differing())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.type()).isEqualTo("position");
              assertThat(record.key())
                  .containsEntry("account", corrupted.account)
                  .containsEntry("instrument", corrupted.instrument);
              assertThat(record.fields())
                  .containsExactly(
                      new ConsistencyDiff.FieldDiff(
                          "short_qty",
                          String.valueOf(corrupted.shortQty - 7),
                          String.valueOf(corrupted.shortQty)));
            });
    JsonNode json = new ObjectMapper().readTree(diff.toJson());
    assertThat(json.get("differing").get(0).get("fields").get(0).get("field").asText())
        .isEqualTo("short_qty");
    assertThat(events("CONSISTENCY_DIFF_READY").get(0).message())
        .contains("1 records differ")
        .contains("short_qty " + (corrupted.shortQty - 7) + " vs " + corrupted.shortQty);
  }

  @Test
  void aRecordMissingOnOneSideIsListedWithItsFields() {
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      Position op = position(random);
      primary.apply(op);
      standby.apply(op);
    }
    Position extra = new Position("Z999", "IF2612", 5, 0, new BigDecimal("3999.80"), false);
    primary.apply(extra);
    AuditResult result =
        auditor.compare(checkpoint("a", 51, primary.digest), checkpoint("b", 51, standby.digest));
    assertThat(result.matched()).isFalse();
    ConsistencyDiff diff = auditor.localise(result, primarySource(), standbySource());
    assertThat(diff.onlyInPrimary())
        .singleElement()
        .satisfies(
            view -> {
              assertThat(view.key()).containsEntry("account", "Z999");
              assertThat(view.fields()).containsEntry("avg_price", "3999.8");
            });
    assertThat(diff.differing()).isEmpty();
  }

  @Test
  void recoveryAfterARepairIsReportedAsAMatchAgain() throws Exception {
    Position p = new Position("A001", "IF2612", 1, 0, BigDecimal.ONE, false);
    primary.apply(p);
    auditor.compare(checkpoint("a", 1, primary.digest), checkpoint("b", 1, standby.digest));
    standby.apply(p);
    AuditResult repaired =
        auditor.compare(checkpoint("a", 2, primary.digest), checkpoint("b", 2, standby.digest));
    assertThat(repaired.matched()).isTrue();
    assertThat(auditor.firstMismatchSequence()).isEmpty();
    assertThat(events("CONSISTENCY_MATCHED").get(0).message())
        .isEqualTo("primary and standby match again at sequence 2 (they differed from 1)");
  }

  @Test
  void aRepairComparedAgainAtTheSameSequenceEndsTheDivergenceButAnOlderMatchDoesNot()
      throws Exception {
    Position p = new Position("A001", "IF2612", 1, 0, BigDecimal.ONE, false);
    primary.apply(p);
    auditor.compare(checkpoint("a", 5, primary.digest), checkpoint("b", 5, standby.digest));
    MapStore empty = new MapStore();
    auditor.compare(checkpoint("a", 4, empty.digest), checkpoint("b", 4, empty.digest));
    assertThat(auditor.firstMismatchSequence())
        .as("a match before 5 says nothing of 5")
        .hasValue(5);
    standby.apply(p); // repaired, both sides still held at 5
    assertThat(
            auditor
                .compare(checkpoint("a", 5, primary.digest), checkpoint("b", 5, standby.digest))
                .matched())
        .isTrue();
    assertThat(auditor.firstMismatchSequence()).isEmpty();
    List<LogRecord> matched = events("CONSISTENCY_MATCHED");
    assertThat(matched.get(matched.size() - 1).message())
        .isEqualTo("primary and standby match again at sequence 5 (they differed from 5)");
  }

  @Test
  void checkpointsThatCannotBeComparedAreRefusedWithTheReason() {
    StateDigest eight = runtime.consistency().newDigest(8);
    StateDigest sixteen = runtime.consistency().newDigest(16);
    assertThatThrownBy(() -> auditor.compare(checkpoint("a", 5, eight), checkpoint("b", 6, eight)))
        .hasMessage("checkpoints of different sequences cannot be compared: primary 5, standby 6");
    assertThatThrownBy(
            () -> auditor.compare(checkpoint("a", 5, eight), checkpoint("b", 5, sixteen)))
        .hasMessage(
            "checkpoints at 5 have different bucket counts: primary 8, standby 16; both sides must"
                + " create their digest with the same number of buckets");
  }

  private RecordSource primarySource() {
    return visitor -> primary.byKey.values().forEach(p -> visitor.visit(Positions.POSITION, p));
  }

  private RecordSource standbySource() {
    return visitor -> standby.rows.forEach(r -> visitor.visit(Positions.ROW, r));
  }
}
