package dev.stability.core.standby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.Role;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.Closer;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The warm standby's two invariants, over random histories: whatever order state messages arrive
 * in, the standby holds the newest (never an older over a newer), and however the primary's
 * operation log reaches the replica (chunked, resent from stale heads), the replica is the
 * primary's chain record for record, while an altered record stops it exactly there.
 */
class WarmStateProperties {

  private Path dir;
  private final Closer open = new Closer();

  @BeforeTry
  void createDir() throws Exception {
    dir = Files.createTempDirectory("warm-prop");
  }

  @AfterTry
  void deleteDir() throws Exception {
    open.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private StabilityRuntime runtime(String instance, Role role, ManualClock clock, int maxBytes) {
    return open.add(
        TestRuntimes.quiet(TestIdentities.match(instance, role))
            .clock(clock)
            .warmStandby(WarmStandbySettings.defaults().withMaxOperationLogBytes(maxBytes))
            .operations(
                OperationSettings.builder()
                    .logFile(dir.resolve(instance).resolve("operations.jsonl"))
                    .build())
            .build());
  }

  private static ManualClock clock() {
    return ManualClock.at(Instant.parse("2026-12-03T01:30:00Z"), ZoneId.of("Asia/Shanghai"));
  }

  /**
   * Messages made over time by two primary processes in turn (a restart), at epochs that only grow,
   * delivered in any order: the standby ends up holding the last one made.
   */
  @Property(tries = 30)
  void whateverTheOrderOfArrivalTheStandbyHoldsTheNewestState(
      @ForAll @IntRange(min = 2, max = 12) int messages,
      @ForAll @IntRange(min = 0, max = 10_000) int seed) {
    Random random = new Random(seed);
    ManualClock primaryClock = clock();
    StabilityRuntime first = runtime("match-a1", Role.PRIMARY, primaryClock, 48 * 1024);
    StabilityRuntime restarted = runtime("match-a2", Role.PRIMARY, primaryClock, 48 * 1024);
    StabilityRuntime standby = runtime("match-b1", Role.STANDBY, clock(), 48 * 1024);
    List<byte[]> made = new ArrayList<>();
    long epoch = 1;
    StabilityRuntime current = first;
    String lastFrom = null;
    long lastEpoch = 0;
    for (int i = 0; i < messages; i++) {
      if (random.nextInt(4) == 0) {
        current = current == first ? restarted : first; // the other process now
      }
      if (random.nextInt(3) == 0) {
        epoch++;
      }
      primaryClock.advance(Duration.ofMillis(1 + random.nextInt(500)));
      made.add(current.warmStandby().export(epoch, 0));
      lastFrom = current.identity().instanceId();
      lastEpoch = epoch;
    }
    List<byte[]> arrival = new ArrayList<>(made);
    Collections.shuffle(arrival, random);
    for (byte[] message : arrival) {
      standby.warmStandby().accept(message);
    }

    WarmStandby.Received held = standby.warmStandby().latest().orElseThrow();
    assertThat(held.from()).isEqualTo(lastFrom);
    assertThat(held.epoch()).isEqualTo(lastEpoch);
    byte[] newest = made.get(made.size() - 1);
    assertThat(new String(newest, StandardCharsets.UTF_8))
        .contains("\"version\":" + held.version() + ",");
  }

  /**
   * The primary's log in small messages (1 KiB of records each), each asked from a head the standby
   * reported some time ago: the replica ends equal to the primary's file.
   */
  @Property(tries = 25)
  void chunkedAndResentTheReplicaEndsEqualToThePrimarysChain(
      @ForAll @IntRange(min = 1, max = 30) int records,
      @ForAll @IntRange(min = 0, max = 10_000) int seed)
      throws Exception {
    Random random = new Random(seed);
    StabilityRuntime primary = runtime("match-a1", Role.PRIMARY, clock(), 1024);
    StabilityRuntime standby = runtime("match-b1", Role.STANDBY, clock(), 1024);
    for (int i = 0; i < records; i++) {
      record(primary, i);
    }
    long reported = 0;
    for (int round = 0; round < 10 * records + 10; round++) {
      long head = standby.warmStandby().replicaHead().sequence();
      if (head == records) {
        break;
      }
      if (random.nextBoolean()) {
        reported = head; // a fresh report; otherwise the primary sends from an older one again
      }
      standby.warmStandby().accept(primary.warmStandby().export(1, reported));
    }

    assertThat(standby.warmStandby().replicaHead().sequence()).isEqualTo(records);
    assertThat(lines(dir.resolve("match-b1/chain-1/operations.jsonl")))
        .isEqualTo(lines(dir.resolve("match-a1/operations.jsonl")));
  }

  /** One record altered on the way: the replica stops right before it, whichever it is. */
  @Property(tries = 25)
  void anAlteredRecordStopsTheReplicaRightBeforeIt(
      @ForAll @IntRange(min = 1, max = 12) int records,
      @ForAll @IntRange(min = 0, max = 10_000) int which) {
    StabilityRuntime primary = runtime("match-a1", Role.PRIMARY, clock(), 48 * 1024);
    StabilityRuntime standby = runtime("match-b1", Role.STANDBY, clock(), 48 * 1024);
    for (int i = 0; i < records; i++) {
      record(primary, i);
    }
    int altered = which % records;
    String message = new String(primary.warmStandby().export(1, 0), StandardCharsets.UTF_8);
    String tampered = message.replace("detail " + altered + ";", "detail " + altered + "!;");
    assertThat(tampered).isNotEqualTo(message);

    standby.warmStandby().accept(tampered.getBytes(StandardCharsets.UTF_8));

    assertThat(standby.warmStandby().replicaHead().sequence()).isEqualTo(altered);
  }

  private static void record(StabilityRuntime runtime, int i) {
    runtime
        .operations()
        .record(
            Operation.builder("guard.reset", Risk.ROUTINE)
                .operator("zhang.san")
                .target("clearing-link")
                .reason("drill")
                .build(),
            true,
            "detail " + i + ";");
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
