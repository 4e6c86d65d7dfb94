package dev.stability.core.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.LogRecord;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tamper evidence on a real file: what verify() names after each kind of change. */
class OperationLogChainTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-29T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final CapturingSink sink = new CapturingSink();
  @TempDir Path dir;
  private Path file;
  private StabilityRuntime runtime;

  private Operations open() {
    runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .eventSink(sink)
            .operations(OperationSettings.builder().logFile(file).build())
            .build();
    return runtime.operations();
  }

  @BeforeEach
  void writeTenRecords() {
    file = dir.resolve("operations.jsonl");
    Operations ops = open();
    for (int i = 1; i <= 10; i++) {
      ops.record(
          Operation.builder("limits.change", Risk.ROUTINE)
              .operator("zhang.san")
              .reason("change " + i)
              .param("instrument", "IF2612")
              .build(),
          true,
          "step " + i);
    }
    runtime.close();
    runtime = null;
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private void write(List<String> lines) throws Exception {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private OperationLog.Problem problem() {
    Operations ops = open();
    OperationLog.Verification verification = ops.log().verify();
    assertThat(verification.intact()).as("verification finds the change").isFalse();
    return verification.problem().orElseThrow();
  }

  @Test
  void anUntouchedLogVerifies() {
    OperationLog.Verification verification = open().log().verify();
    assertThat(verification.intact()).isTrue();
    assertThat(verification.records()).isEqualTo(10);
    assertThat(sink.withCode("OPERATION_LOG_TAMPERED")).isEmpty();
  }

  @Test
  void anAlteredRecordIsNamed() throws Exception {
    List<String> lines = lines();
    lines.set(4, lines.get(4).replace("change 5", "change 6"));
    write(lines);
    OperationLog.Problem problem = problem();
    assertThat(problem.line()).isEqualTo(5);
    assertThat(problem.opSeq()).isEqualTo(5);
    assertThat(problem.description())
        .isEqualTo("the hash does not match the record's content: the record was altered");
    assertThat(problem.file()).isEqualTo(file.toAbsolutePath());
  }

  @Test
  void aRecordWhoseHashWasReplacedIsCaught() throws Exception {
    // (Recomputing every later hash would pass: that is what the keyed chain and the head in the
    // central log are for.)
    List<String> lines = lines();
    lines.set(
        4,
        lines
            .get(4)
            .replaceAll("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + "ab".repeat(32) + "\""));
    write(lines);
    OperationLog.Problem problem = problem();
    assertThat(problem.line()).isEqualTo(5); // its own hash no longer matches its content
  }

  @Test
  void aRemovedRecordIsNamedAtTheRecordAfterTheGap() throws Exception {
    List<String> lines = lines();
    lines.remove(6); // op_seq 7
    write(lines);
    OperationLog.Problem problem = problem();
    assertThat(problem.line()).isEqualTo(7);
    assertThat(problem.opSeq()).isEqualTo(8);
    assertThat(problem.description())
        .isEqualTo("expected op_seq 7 after 6, found 8: records 7..7 were removed or moved");
  }

  @Test
  void reorderedRecordsAreNamedAtTheFirstOneOutOfPlace() throws Exception {
    List<String> lines = lines();
    Collections.swap(lines, 2, 3);
    write(lines);
    OperationLog.Problem problem = problem();
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.opSeq()).isEqualTo(4);
  }

  @Test
  void brokenChainIsReportedAsAnEventWhenTheRuntimeStarts() throws Exception {
    List<String> lines = lines();
    lines.set(1, lines.get(1).replace("zhang.san", "li.si"));
    write(lines);
    open();
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("OPERATION_LOG_TAMPERED"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("line 2"));
  }

  @Test
  void aTornLastLineIsMovedAsideReportedAndTheChainContinues() throws Exception {
    String whole = Files.readString(file);
    String torn = "{\"ts\":\"2026-11-29T10:00:00.000000+08:00\",\"level\":\"INFO\",\"categ";
    Files.writeString(file, whole + torn);

    Operations ops = open();
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    LogRecord event = sink.withCode("OPERATION_LOG_TORN_TAIL").get(0);
    assertThat(event.attrs())
        .containsEntry("offset", String.valueOf(whole.getBytes(StandardCharsets.UTF_8).length))
        .containsEntry("bytes", String.valueOf(torn.length()));
    Path aside = Path.of(event.attrs().get("saved_to"));
    assertThat(Files.readString(aside)).isEqualTo(torn);
    assertThat(Files.readString(file)).isEqualTo(whole);

    ops.record(
        Operation.builder("limits.change", Risk.ROUTINE)
            .operator("zhang.san")
            .reason("after crash")
            .build(),
        true,
        "");
    OperationLog.Verification verification = ops.log().verify();
    assertThat(verification.intact()).isTrue();
    assertThat(verification.records()).isEqualTo(11);
  }

  @Test
  void aDamagedLastWholeRecordStopsTheRuntimeRatherThanForkingTheChain() throws Exception {
    List<String> lines = lines();
    lines.set(9, lines.get(9).substring(0, 40) + "}");
    write(lines);
    assertThatThrownBy(this::open)
        .isInstanceOf(OperationLogException.class)
        .hasMessageStartingWith(
            "operation log " + file.toAbsolutePath() + ": the last record cannot be read");
  }

  @Test
  void filesRollDailyAreKeptForTheRetentionAndTheChainSpansThem() throws Exception {
    Operations ops = open();
    clock.advance(Duration.ofDays(1));
    ops.record(
        Operation.builder("limits.change", Risk.ROUTINE)
            .operator("zhang.san")
            .reason("next day")
            .build(),
        true,
        "");
    Path rolled = dir.resolve("operations.2026-11-29.jsonl");
    assertThat(rolled).exists();
    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(ops.log().verify().records()).isEqualTo(11);
    assertThat(ops.log().verify().files()).isEqualTo(2);

    clock.advance(Duration.ofDays(365));
    ops.record(
        Operation.builder("limits.change", Risk.ROUTINE)
            .operator("zhang.san")
            .reason("a year on")
            .build(),
        true,
        "");
    assertThat(rolled).as("kept: exactly 366 days old, within retention").exists();

    clock.advance(Duration.ofDays(2));
    ops.record(
        Operation.builder("limits.change", Risk.ROUTINE)
            .operator("zhang.san")
            .reason("later")
            .build(),
        true,
        "");
    assertThat(rolled).as("deleted after the 366-day retention").doesNotExist();
    assertThat(dir.resolve("operations.2026-11-30.jsonl")).doesNotExist();
    List<LogRecord> tail = ops.log().tail(2);
    assertThat(tail.get(0).attrs()).containsEntry("action", "operation-log.purge");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("operations.jsonl", "operations.2027-11-30.jsonl")
          .doesNotContain("operations.2026-11-29.jsonl", "operations.2026-11-30.jsonl");
    }
    // The purge record names where the deleted files ended: the remaining chain anchors on it.
    assertThat(ops.log().verify().intact()).isTrue();

    // A file still inside its retention deleted by hand is a gap no purge record explains.
    Files.delete(dir.resolve("operations.2027-11-30.jsonl"));
    OperationLog.Problem problem = ops.log().verify().problem().orElseThrow();
    assertThat(problem.description())
        .startsWith("the log starts at op_seq 13 but no purge record of the SDK accounts for");
  }

  @Test
  void aKeyedChainCannotBeVerifiedOrExtendedWithoutTheKey() throws Exception {
    Path keyed = dir.resolve("keyed.jsonl");
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    try (StabilityRuntime withKey = keyedRuntime(keyed, key)) {
      withKey
          .operations()
          .record(
              Operation.builder("limits.change", Risk.ROUTINE)
                  .operator("zhang.san")
                  .reason("x")
                  .build(),
              true,
              "");
      assertThat(withKey.operations().log().verify().intact()).isTrue();
    }
    byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    try (StabilityRuntime wrongKey = keyedRuntime(keyed, other)) {
      assertThat(wrongKey.operations().log().verify().problem().orElseThrow().description())
          .isEqualTo("the hash does not match the record's content: the record was altered");
    }
  }

  private StabilityRuntime keyedRuntime(Path log, byte[] key) {
    return TestRuntimes.quiet("a1")
        .clock(clock)
        .operations(OperationSettings.builder().logFile(log).chainKey(key).build())
        .build();
  }
}
