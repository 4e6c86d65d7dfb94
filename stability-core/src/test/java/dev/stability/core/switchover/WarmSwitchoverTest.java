package dev.stability.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.Role;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.Journal;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.DualControl;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.standby.NetBook;
import dev.stability.core.standby.WarmLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned switchover through the standby's own switch controller, with the primary in a second
 * runtime of the same JVM and a {@link WarmLink} between them on its own thread: the new primary
 * refuses the dependency the old one had cut off from its first call, and its operation log goes on
 * with the old primary's chain.
 */
class WarmSwitchoverTest {

  @TempDir Path dir;

  private static GuardSettings clearingLink() {
    return GuardSettings.builder("clearing-link")
        .circuitBreaker(
            CircuitBreakerSettings.builder()
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofMinutes(5))
                .build())
        .build();
  }

  private OperationSettings operations(String instance) {
    return OperationSettings.builder().logFile(dir.resolve(instance + "/operations.jsonl")).build();
  }

  private StabilityRuntime runtime(String instance, Role role) {
    return TestRuntimes.quiet(TestIdentities.match(instance, role))
        .guard(clearingLink())
        .operations(operations(instance))
        .build();
  }

  /** What a switch of {@link #switchOver} left behind. */
  private record Switched(SwitchReport report, String primaryHead, CircuitState atPromotion) {}

  /**
   * Fills the journal, opens the primary's breaker, records an operation, carries the state over a
   * {@link WarmLink} and switches to the standby through its own controller; {@code beforeSwitch}
   * runs once the standby holds the primary's operation log.
   */
  private Switched switchOver(
      StabilityRuntime primary, StabilityRuntime standby, Runnable beforeSwitch) throws Exception {
    Journal journal =
        standby
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("journal"))
                    .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
                    .build());
    NetBook primaryBook = new NetBook();
    NetBook standbyBook = new NetBook();
    Follower follower =
        standby
            .standby()
            .follow(
                FollowerSettings.builder("match-b1", dir.resolve("follower"))
                    .checkpointEvery(500)
                    .build(),
                JournalSource.of(journal),
                standbyBook);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1_000; i++) {
      byte[] order = NetBook.order(random);
      long seq = journal.append(0, order);
      primaryBook.apply(seq, 0, ByteBuffer.wrap(order));
      if (seq % 500 == 0) {
        standby
            .consistency()
            .auditor()
            .primary(Checkpoint.of("match-a1", seq, 0, primaryBook.digest()));
      }
    }
    journal.sync();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> standby.consistency().auditor().lastMatchedSequence().isPresent());
    Guard clearing = primary.guards().guard("clearing-link");
    for (int i = 0; i < 5; i++) {
      clearing.call(
          () -> {
            throw new IllegalStateException("clearing link refused");
          },
          e -> null);
    }
    primary
        .operations()
        .record(
            Operation.builder("guard.inspect", Risk.ROUTINE)
                .operator("zhang.san")
                .target("clearing-link")
                .reason("morning check")
                .build(),
            true,
            "open after 5 failures");
    String primaryHead = primary.operations().log().tail(1).get(0).attrs().get("hash");

    AtomicReference<CircuitState> atPromotion = new AtomicReference<>();
    try (WarmLink link = WarmLink.start(primary, standby, journal::epoch, Duration.ofMillis(20))) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> standby.warmStandby().replicaHead().sequence() == 1);
      beforeSwitch.run();
      SwitchController controller =
          standby
              .switchover()
              .controller(
                  new SwitchSettings("matching", "10.0.0.2:9001", 100_000, Duration.ofSeconds(10)),
                  SwitchParticipants.builder()
                      .journal(journal)
                      .standby(follower)
                      .stopPrimary(() -> {})
                      .primaryDigest(primaryBook::digestValue)
                      .standbyDigest(standbyBook::digestValue)
                      .standbyHealth(() -> HealthStatus.UP)
                      .promote(
                          epoch ->
                              atPromotion.set(
                                  standby.guards().guard("clearing-link").circuitState()))
                      .registry(EndpointRegistries.inMemory())
                      .build());
      Approval approval =
          DualControl.approved(standby, "switchover", "matching", "planned move to DC2", false);
      return new Switched(controller.switchover(approval), primaryHead, atPromotion.get());
    }
  }

  @Test
  void thePromotedStandbyRefusesWhatTheOldPrimaryCutOffAndContinuesItsOperationLog()
      throws Exception {
    try (StabilityRuntime primary = runtime("match-a1", Role.PRIMARY);
        StabilityRuntime standby = runtime("match-b1", Role.STANDBY)) {
      Switched switched = switchOver(primary, standby, () -> {});

      assertThat(switched.report().digestsEqual()).isTrue();
      assertThat(switched.atPromotion())
          .as("open before the new primary took its first input")
          .isEqualTo(CircuitState.OPEN);
      assertThat(standby.role()).isEqualTo(Role.PRIMARY);
      List<LogRecord> tail = standby.operations().log().tail(10);
      assertThat(tail.get(0).attrs().get("op_seq")).isEqualTo("1");
      assertThat(tail.get(1).attrs()).containsEntry("prev_hash", switched.primaryHead());
      assertThat(tail.get(1).attrs()).containsEntry("action", "warm-standby.inherit");
      assertThat(tail.get(tail.size() - 1).attrs()).containsEntry("action", "switchover");
      OperationLog.Verification verification = standby.operations().log().verify();
      assertThat(verification.intact()).as(String.valueOf(verification.problem())).isTrue();
      assertThat(verification.records()).isEqualTo(tail.size());
    }
  }

  @Test
  void aPromotionThatCannotContinueTheOperationLogsChainSaysItWasNotInherited() throws Exception {
    CapturingSink standbyEvents = new CapturingSink();
    Path pointer = dir.resolve("match-b1/operations.jsonl.active-chain");
    try (StabilityRuntime primary = runtime("match-a1", Role.PRIMARY);
        StabilityRuntime standby =
            TestRuntimes.quiet(TestIdentities.match("match-b1", Role.STANDBY))
                .guard(clearingLink())
                .operations(operations("match-b1"))
                .eventSink(standbyEvents)
                .build()) {
      Switched switched =
          switchOver(
              primary,
              standby,
              () -> {
                try {
                  // The pointer to the continued chain cannot replace a directory that holds a
                  // file.
                  Files.createDirectories(pointer);
                  Files.writeString(pointer.resolve("in-the-way"), "x");
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });

      assertThat(switched.atPromotion())
          .as("the guards' part was taken before the failure")
          .isEqualTo(CircuitState.OPEN);
      assertThat(standby.role()).isEqualTo(Role.PRIMARY);
      assertThat(standby.events().awaitDelivery(Duration.ofSeconds(10))).isTrue();
      assertThat(standbyEvents.withCode("WARM_STATE_NOT_INHERITED"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.level()).isEqualTo(Level.ERROR);
                assertThat(e.attrs()).containsEntry("part", "all but the guards");
                assertThat(e.message())
                    .startsWith("the new primary took over the old primary's guards but not")
                    .contains(pointer.getFileName().toString());
              });
      assertThat(standbyEvents.withCode("WARM_STATE_STALE")).isEmpty();
    }
  }
}
