package dev.stability.core.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogRecord;
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.TestRuntimes;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.fixtures.Closer;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.CheckResult;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runtimes in one JVM, primary and standby, each with its own manual clock, linked by a {@link
 * WarmLink} that exchanges only when the test says so: what the standby takes over at promotion.
 */
class WarmStandbyTest {

  @TempDir Path dir;
  private final ManualClock primaryClock =
      ManualClock.at(Instant.parse("2026-12-03T09:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final ManualClock standbyClock =
      ManualClock.at(Instant.parse("2026-12-03T09:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final CapturingSink primaryEvents = new CapturingSink();
  private final CapturingSink standbyEvents = new CapturingSink();
  private final Closer open = new Closer();
  private final AtomicBoolean clearingUp = new AtomicBoolean(false);

  @AfterEach
  void close() throws Exception {
    open.close();
  }

  /** Events are delivered on the runtimes' event threads: wait for both queues to drain. */
  private List<LogRecord> delivered(CapturingSink sink, String code) {
    open.awaitDelivery();
    return sink.withCode(code);
  }

  private static GuardSettings breakerGuard(String name, boolean siteLocal) {
    return GuardSettings.builder(name)
        .siteLocal(siteLocal)
        .circuitBreaker(
            CircuitBreakerSettings.builder()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .build())
        .build();
  }

  private StabilityRuntime runtime(String instance, Role role, boolean clearingSiteLocal) {
    ManualClock clock = role == Role.PRIMARY ? primaryClock : standbyClock;
    return open.add(
        TestRuntimes.quiet(TestIdentities.match(instance, role))
            .clock(clock)
            .eventSink(role == Role.PRIMARY ? primaryEvents : standbyEvents)
            .guard(breakerGuard("clearing-link", clearingSiteLocal))
            .guard(breakerGuard("risk-db", false))
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders")
                    .store(dir.resolve(instance + "/capacity.json"))
                    .build())
            .health(HealthSettings.builder().builtInChecks(false).build())
            .healthCheck(
                HealthCheck.of(
                    "clearing",
                    HealthKind.READINESS,
                    1,
                    () ->
                        clearingUp.get()
                            ? HealthResult.up()
                            : HealthResult.down("clearing link refused the login")))
            .operations(
                OperationSettings.builder()
                    .logFile(dir.resolve(instance + "/ops/operations.jsonl"))
                    .build())
            .build());
  }

  private StabilityRuntime primary() {
    return runtime("match-a1", Role.PRIMARY, false);
  }

  private StabilityRuntime standby() {
    return runtime("match-b1", Role.STANDBY, false);
  }

  private WarmLink link(StabilityRuntime primary, StabilityRuntime standby) {
    return open.add(WarmLink.start(primary, standby, () -> 1, Duration.ZERO));
  }

  private static void fail(Guard guard, int times) {
    for (int i = 0; i < times; i++) {
      guard.call(
          () -> {
            throw new IllegalStateException("clearing link down");
          },
          e -> null);
    }
  }

  private static boolean admitted(Guard guard) {
    try {
      guard.call(() -> "ok");
      return true;
    } catch (CircuitOpenException e) {
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void record(StabilityRuntime runtime, String action, String operator) {
    runtime
        .operations()
        .record(
            Operation.builder(action, Risk.ROUTINE)
                .operator(operator)
                .target("clearing-link")
                .reason("drill")
                .build(),
            true,
            "");
  }

  @Test
  void anOpenBreakerIsStillOpenOnTheNewPrimaryAndHalfOpensWhenTheRemainingWaitIsOver() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    fail(primary.guards().guard("clearing-link"), 5);
    assertThat(primary.guards().guard("clearing-link").circuitState()).isEqualTo(CircuitState.OPEN);
    primaryClock.advance(Duration.ofSeconds(4)); // 6 s of the 10 s wait left
    link(primary, standby).exchange();
    standbyClock.advance(Duration.ofSeconds(1)); // received 1 s before the promotion: 5 s left

    Inheritance inherited = standby.warmStandby().inherit();

    Guard guard = standby.guards().guard("clearing-link");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(admitted(guard)).as("the first call after the switch is refused").isFalse();
    assertThat(inherited.guards().get("clearing-link")).isEqualTo("open, 5000 ms of its wait left");
    standbyClock.advance(Duration.ofMillis(4_900));
    assertThat(admitted(guard)).as("still within the primary's wait").isFalse();
    standbyClock.advance(Duration.ofMillis(200));
    assertThat(admitted(guard)).as("the wait is over: a trial call goes through").isTrue();
    assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(standby.guards().guard("risk-db").circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aForcedOpenGuardStaysForcedUntilAnOperatorResetsItAndASiteLocalGuardStartsFresh() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = runtime("match-b1", Role.STANDBY, true); // clearing is per site
    primary.guards().guard("risk-db").forceOpen();
    fail(primary.guards().guard("clearing-link"), 5);
    link(primary, standby).exchange();

    Inheritance inherited = standby.warmStandby().inherit();

    assertThat(standby.guards().guard("risk-db").circuitState())
        .isEqualTo(CircuitState.FORCED_OPEN);
    standbyClock.advance(Duration.ofHours(1));
    assertThat(admitted(standby.guards().guard("risk-db"))).isFalse();
    assertThat(standby.guards().guard("clearing-link").circuitState())
        .as("the standby's site reaches another clearing link")
        .isEqualTo(CircuitState.CLOSED);
    assertThat(inherited.guards())
        .containsEntry("risk-db", "forced open")
        .containsEntry("clearing-link", "site-local: starts fresh");
    standby.guards().guard("risk-db").reset();
    assertThat(admitted(standby.guards().guard("risk-db"))).isTrue();
  }

  @Test
  void capacityPeakAndTestedCapacityAreEqualOnBothSidesAfterTheSwitchAndStored() throws Exception {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    CapacityIndicator orders = primary.capacity().indicator("orders");
    orders.raiseHistoricalPeak(2_000);
    orders.recordTested(7_000, "drill 2026-H2");
    link(primary, standby).exchange();

    standby.warmStandby().inherit();

    CapacityIndicator taken = standby.capacity().indicator("orders");
    assertThat(taken.historicalPeak()).isEqualTo(orders.historicalPeak());
    assertThat(taken.testedCapacity()).isEqualTo(orders.testedCapacity());
    assertThat(taken.headroom()).isEqualTo(orders.headroom()).isEqualTo(3.5);
    String stored = Files.readString(dir.resolve("match-b1/capacity.json"), StandardCharsets.UTF_8);
    assertThat(stored).contains("2000").contains("7000").contains("drill 2026-H2");
  }

  @Test
  void thePrimarysDayPeaksOfTheWindowCarryOverSoTheStandbysPeakAgesOutTheSameWay()
      throws Exception {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    CapacityIndicator orders = primary.capacity().indicator("orders");
    java.time.LocalDate today = primary.capacity().tradingDay();
    orders.raiseHistoricalPeak(9_000, today.minusDays(10)); // a record day of this window
    orders.raiseHistoricalPeak(1_500); // today's peak so far
    standby.capacity().indicator("orders").raiseHistoricalPeak(2_000, today.minusDays(3));
    link(primary, standby).exchange();

    Inheritance inherited = standby.warmStandby().inherit();

    CapacityIndicator taken = standby.capacity().indicator("orders");
    assertThat(taken.historicalPeak()).isEqualTo(9_000.0);
    assertThat(taken.peakToday()).isEqualTo(1_500.0);
    assertThat(inherited.capacity().get("orders"))
        .isEqualTo("historical peak 9000.0/s, peak today 1500.0/s, 2 day peaks of the window");
    String stored = Files.readString(dir.resolve("match-b1/capacity.json"), StandardCharsets.UTF_8);
    assertThat(stored)
        .contains(today.minusDays(10).toString())
        .contains(today.minusDays(3).toString())
        .contains(today.toString());
  }

  @Test
  void theNewPrimaryShowsTheOldPrimarysHealthAsInheritedUntilItsOwnCheckRuns() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    assertThat(primary.health().check("clearing").status()).isEqualTo(HealthStatus.DOWN);
    link(primary, standby).exchange();

    Inheritance inherited = standby.warmStandby().inherit();

    CheckResult shown =
        standby.health().lastResults().stream()
            .filter(r -> r.name().equals("clearing"))
            .findFirst()
            .orElseThrow();
    assertThat(shown.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(shown.reason())
        .startsWith("inherited from match-a1 (0 ms old)")
        .endsWith("clearing link refused the login");
    assertThat(inherited.health()).containsEntry("clearing", "DOWN, inherited");
    clearingUp.set(true);
    assertThat(standby.health().check("clearing").status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void theOperationLogContinuesThePrimarysChainAcrossTheSwitchAndAfterARestart() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    record(primary, "guard.force-open", "zhang.san");
    record(primary, "guard.reset", "zhang.san");
    record(standby, "drill.prepare", "li.si"); // the standby's own log, its own chain
    WarmLink link = link(primary, standby);
    link.exchange();
    assertThat(standby.warmStandby().replicaHead().sequence()).isEqualTo(2);
    record(primary, "capacity.tested", "wang.wu");
    link.exchange();
    OperationLog.Verification before = primary.operations().log().verify();
    String primaryHead = primary.operations().log().tail(1).get(0).attrs().get("hash");

    Inheritance inherited = standby.warmStandby().inherit();
    record(standby, "switchover.after-check", "li.si");

    assertThat(inherited.operationLogFrom()).isEqualTo(3);
    List<LogRecord> tail = standby.operations().log().tail(10);
    assertThat(tail.get(0).attrs().get("op_seq")).isEqualTo("1");
    assertThat(tail.get(3).attrs().get("prev_hash")).isEqualTo(primaryHead);
    assertThat(tail.get(3).attrs().get("action")).isEqualTo("warm-standby.inherit");
    assertThat(tail.get(4).attrs().get("op_seq")).isEqualTo("5");
    OperationLog.Verification after = standby.operations().log().verify();
    assertThat(after.intact()).as(String.valueOf(after.problem())).isTrue();
    assertThat(after.records()).isEqualTo(before.records() + 2);
    assertThat(delivered(standbyEvents, "WARM_STATE_INHERITED")).hasSize(1);

    // A restart of the new primary continues the same chain, not its old standby log.
    standby.close();
    StabilityRuntime restarted = standby();
    record(restarted, "guard.reset", "li.si");
    assertThat(restarted.operations().log().tail(1).get(0).attrs().get("op_seq")).isEqualTo("6");
    assertThat(restarted.operations().log().verify().intact()).isTrue();
  }

  @Test
  void withoutLogFilesTheInMemoryLogContinuesThePrimarysChainToo() {
    StabilityRuntime primary = memoryOnly("match-a1", Role.PRIMARY);
    StabilityRuntime standby = memoryOnly("match-b1", Role.STANDBY);
    record(primary, "guard.force-open", "zhang.san");
    record(primary, "guard.reset", "zhang.san");
    link(primary, standby).exchange();

    standby.warmStandby().inherit();

    List<LogRecord> tail = standby.operations().log().tail(10);
    assertThat(tail).extracting(r -> r.attrs().get("op_seq")).containsExactly("1", "2", "3");
    assertThat(tail.get(0).text(dev.stability.api.event.LogField.INSTANCE)).isEqualTo("match-a1");
    assertThat(standby.operations().log().file()).isEmpty();
    assertThat(standby.operations().log().verify().intact()).isTrue();
  }

  private StabilityRuntime memoryOnly(String instance, Role role) {
    return open.add(
        TestRuntimes.quiet(TestIdentities.match(instance, role))
            .clock(role == Role.PRIMARY ? primaryClock : standbyClock)
            .build());
  }

  @Test
  void aReplicatedRecordAlteredOnTheWayIsRefusedAndNamedAndNothingIsWritten() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    record(primary, "guard.force-open", "zhang.san");
    record(primary, "guard.reset", "zhang.san");
    byte[] message = primary.warmStandby().export(1, 0);
    String altered =
        new String(message, StandardCharsets.UTF_8)
            .replace("zhang.san reports guard.reset", "zhang.san reports guard.resex");
    assertThat(altered).isNotEqualTo(new String(message, StandardCharsets.UTF_8));

    standby.warmStandby().accept(altered.getBytes(StandardCharsets.UTF_8));

    assertThat(standby.warmStandby().replicaHead().sequence()).isEqualTo(1);
    List<LogRecord> refused = delivered(standbyEvents, "WARM_STATE_REFUSED");
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0).message())
        .contains("op_seq 2")
        .contains("the hash does not match the record's content");
  }

  @Test
  void aReplicaAlteredOnDiskIsNamedByVerifyAfterThePromotion() throws Exception {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    record(primary, "guard.force-open", "zhang.san");
    record(primary, "guard.reset", "zhang.san");
    record(primary, "guard.reset", "wang.wu");
    link(primary, standby).exchange();
    Path replica = dir.resolve("match-b1/ops/chain-1/operations.jsonl");
    List<String> lines = Files.readAllLines(replica, StandardCharsets.UTF_8);
    lines.set(1, lines.get(1).replace("zhang.san", "zhang.si"));
    Files.write(replica, lines, StandardCharsets.UTF_8);

    standby.warmStandby().inherit();

    OperationLog.Verification verification = standby.operations().log().verify();
    assertThat(verification.intact()).isFalse();
    assertThat(verification.problem().orElseThrow().opSeq()).isEqualTo(2);
    assertThat(verification.problem().orElseThrow().file()).isEqualTo(replica.toAbsolutePath());
  }

  @Test
  void recordsCutOffTheEndOfThePrimarysFileAreFoundByComparingHeadsWithTheStandby()
      throws Exception {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    for (int i = 0; i < 5; i++) {
      record(primary, "guard.reset", "zhang.san");
    }
    link(primary, standby).exchange();
    assertThat(primary.operations().log().verify().intact()).isTrue();
    primary.close();
    Path file = dir.resolve("match-a1/ops/operations.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.write(file, lines.subList(0, 3), StandardCharsets.UTF_8);
    StabilityRuntime reopened = primary();
    assertThat(reopened.operations().log().verify().intact())
        .as("the chain alone cannot see a cut end")
        .isTrue();

    link(reopened, standby).exchange();

    OperationLog.Verification verification = reopened.operations().log().verify();
    assertThat(verification.intact()).isFalse();
    assertThat(verification.problem().orElseThrow().description())
        .contains("match-b1 holds this chain up to op_seq 5 but this log ends at op_seq 3")
        .contains("records 4..5 were cut off the end");
  }

  @Test
  void olderStateNeverOverwritesNewerAndAnOlderEpochIsRefused() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    byte[] epoch2first = primary.warmStandby().export(2, 0);
    primary.guards().guard("risk-db").forceOpen();
    byte[] epoch2second = primary.warmStandby().export(2, 0);
    byte[] epoch1 = primary.warmStandby().export(1, 0);

    assertThat(standby.warmStandby().accept(epoch2second)).isTrue();
    assertThat(standby.warmStandby().accept(epoch2first)).as("older version").isFalse();
    assertThat(standby.warmStandby().accept(epoch1)).as("older epoch").isFalse();

    assertThat(standby.warmStandby().latest().orElseThrow().version()).isEqualTo(2);
    assertThat(standby.warmStandby().inherit().guards()).containsEntry("risk-db", "forced open");
    assertThat(delivered(standbyEvents, "WARM_STATE_REFUSED"))
        .extracting(LogRecord::message)
        .anySatisfy(m -> assertThat(m).contains("at epoch 1 is older than the epoch 2"));
  }

  @Test
  void afterAFailoverMidStreamTheLastReplicatedStateAppliesAndIsReportedStale() {
    StabilityRuntime primary = primary();
    StabilityRuntime standby = standby();
    fail(primary.guards().guard("clearing-link"), 5);
    link(primary, standby).exchange();
    primary.guards().guard("risk-db").forceOpen(); // never reached the standby: the link is gone
    primaryClock.advance(Duration.ofSeconds(2));
    standbyClock.advance(Duration.ofSeconds(8)); // over the 5 s bound

    Inheritance inherited = standby.warmStandby().inherit();

    assertThat(inherited.stale()).isTrue();
    assertThat(inherited.age()).isEqualTo(Duration.ofSeconds(8));
    assertThat(standby.guards().guard("clearing-link").circuitState())
        .as("the last replicated state: open, 2 s of its wait left")
        .isEqualTo(CircuitState.OPEN);
    assertThat(standby.guards().guard("risk-db").circuitState()).isEqualTo(CircuitState.CLOSED);
    List<LogRecord> stale = delivered(standbyEvents, "WARM_STATE_STALE");
    assertThat(stale).hasSize(1);
    assertThat(stale.get(0).message()).contains("8000 ms").contains("5000 ms");
    assertThat(standby.operations().log().tail(1).get(0).message()).contains("STALE");
  }

  @Test
  void withNothingReceivedThePromotionIsColdAndSaysNothingWasInherited() {
    StabilityRuntime standby = standby();
    Inheritance inherited = standby.warmStandby().inherit();
    assertThat(inherited.warm()).isFalse();
    assertThat(delivered(standbyEvents, "WARM_STATE_INHERITED")).isEmpty();
  }

  @Test
  void unreadableMessagesAndAnotherSystemsStateAreRefusedWithAReason() {
    StabilityRuntime standby = standby();
    assertThat(standby.warmStandby().accept("{not json".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(delivered(standbyEvents, "WARM_STATE_REFUSED").get(0).message())
        .startsWith("a warm-state message is not readable");
    StabilityRuntime other =
        TestRuntimes.quiet(
                ServiceIdentity.builder()
                    .systemCode("OTHER")
                    .subsystem("core")
                    .instanceId("oth-a1")
                    .build())
            .build();
    open.add(other);
    standbyClock.advance(Duration.ofSeconds(2)); // past the refusal events' one-a-second bound
    assertThat(standby.warmStandby().accept(other.warmStandby().export(1, 0))).isFalse();
    assertThat(delivered(standbyEvents, "WARM_STATE_REFUSED").get(1).message())
        .contains("of system OTHER reached match-b1 of system MATCH");
    assertThat(standby.warmStandby().latest()).isEmpty();
  }

  @Test
  void aPrimaryTakesNoStateFromAnotherProcess() {
    StabilityRuntime primary = primary();
    StabilityRuntime oldPrimary = runtime("match-a0", Role.PRIMARY, false);
    assertThat(primary.warmStandby().accept(oldPrimary.warmStandby().export(1, 0))).isFalse();
    assertThat(delivered(primaryEvents, "WARM_STATE_REFUSED").get(0).message())
        .contains("this runtime is primary: it takes no state from match-a0");
  }

  @Test
  void badSettingsAndLinksAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> WarmStandbySettings.defaults().withStaleAfter(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("warm-standby.stale-after = PT0S: must be a positive duration");
    assertThatThrownBy(() -> WarmStandbySettings.defaults().withMaxOperationLogBytes(10))
        .hasMessage(
            "warm-standby.max-operation-log-bytes = 10: must be between 1024 and 16777216 bytes");
    StabilityRuntime standby = standby();
    assertThatThrownBy(() -> WarmLink.start(standby, standby, () -> 1, Duration.ZERO))
        .hasMessageContaining("primary and standby must be two runtimes");
    assertThatThrownBy(() -> WarmLink.start(standby, null, () -> 1, Duration.ZERO))
        .hasMessageContaining("primary, standby and epoch must all be set");
  }
}
