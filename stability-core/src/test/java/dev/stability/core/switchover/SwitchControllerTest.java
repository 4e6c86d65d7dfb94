package dev.stability.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.Role;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.event.LogRecord;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.fixtures.SwitchStandby;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.Approval;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.standby.NetBook;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary and a heterogeneous standby in one process, sharing a file journal, with real threads:
 * the primary takes orders continuously and acknowledges each once the journal says it is durable.
 */
class SwitchControllerTest {

  @TempDir Path dir;
  private SwitchStandby standby;
  private CapturingSink sink;
  private StabilityRuntime runtime;
  private Journal journal;
  private final NetBook primaryBook = new NetBook();
  private NetBook standbyBook;
  private Follower follower;
  private final EndpointRegistry registry = EndpointRegistries.inMemory();
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final AtomicLong promotedAt = new AtomicLong();
  private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean afterSwitchRan = new AtomicBoolean();
  private volatile HealthStatus standbyHealth = HealthStatus.UP;
  private Thread load;

  @BeforeEach
  void start() {
    standby = new SwitchStandby(dir);
    runtime = standby.runtime();
    sink = standby.events();
    standbyBook = standby.book();
    journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("journal"))
                    .segmentSize(4 << 20)
                    .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
                    .build());
    follower = standby.follow(journal, 500);
    registry.publish("matching", "10.0.0.1:9001", 0);
  }

  @AfterEach
  void stop() throws Exception {
    accepting.set(false);
    if (load != null) {
      load.join();
    }
    standby.close();
  }

  /** The primary: append, apply, acknowledge when durable; a checkpoint every 500. */
  private void startLoad(long seed) {
    load =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(seed);
              while (accepting.get()) {
                byte[] order = NetBook.order(random);
                long seq;
                try {
                  seq = journal.append(0, order);
                } catch (EpochFencedException fenced) {
                  return;
                }
                primaryBook.apply(seq, 0, ByteBuffer.wrap(order));
                if (seq % 500 == 0) {
                  runtime
                      .consistency()
                      .auditor()
                      .primary(Checkpoint.of("match-a1", seq, 0, primaryBook.digest()));
                }
                while (journal.durableSequence() < seq) {
                  Thread.onSpinWait();
                }
                acknowledged.add(seq);
              }
            },
            "primary-load");
    load.start();
  }

  private SwitchController controller() {
    return controller(journal, follower);
  }

  /** Stopping the primary only tells it to stop: an append in flight meets the fence. */
  private SwitchController controller(Journal journal, Follower follower) {
    return controller(journal, follower, journal::lastSequence);
  }

  private SwitchController controller(
      Journal journal, Follower follower, java.util.function.LongSupplier primaryLast) {
    return standby.controller(
        journal,
        follower,
        Duration.ofSeconds(10),
        participants ->
            participants
                .stopPrimary(() -> accepting.set(false))
                .primaryDigest(primaryBook::digestValue)
                .standbyHealth(() -> standbyHealth)
                .promote(promotedAt::set)
                .registry(registry)
                .afterSwitch(() -> afterSwitchRan.set(true))
                .primaryLastSequence(primaryLast));
  }

  private Approval approve(String action, boolean emergency) {
    return standby.approved(action, emergency);
  }

  private void awaitFirstMatch() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.consistency().auditor().lastMatchedSequence().isPresent());
  }

  @Test
  void aPlannedSwitchoverUnderLoadLosesNoAcknowledgedRecordAndTheDigestsAreEqual()
      throws Exception {
    startLoad(1);
    awaitFirstMatch();
    SwitchController controller = controller();
    assertThat(controller.readiness(null).failures())
        .isEqualTo(
            "approval: a switchover needs a request by one operator and an approval by another (R5)");

    SwitchReport report = controller.switchover(approve("switchover", false));

    assertThat(report.kind()).isEqualTo("planned");
    assertThat(report.digestsEqual()).isTrue();
    assertThat(report.possiblyLost()).isZero();
    assertThat(acknowledged).isNotEmpty();
    assertThat(acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow())
        .as("every acknowledged record is at or before the switch point")
        .isLessThanOrEqualTo(report.switchSequence());
    assertThat(follower.appliedSequence()).isEqualTo(report.switchSequence());
    assertThat(standbyBook.applied).hasSize((int) report.switchSequence());
    assertThat(standbyBook.digestValue()).isEqualTo(primaryBook.digestValue());

    // Fencing: the old primary's epoch is refused, the new primary continues the journal.
    assertThat(report.epoch()).isEqualTo(1);
    assertThat(promotedAt).hasValue(1);
    assertThatThrownBy(() -> journal.append(0, NetBook.order(new SplittableRandom(9))))
        .isInstanceOf(EpochFencedException.class);
    assertThat(journal.append(1, NetBook.order(new SplittableRandom(9))))
        .isEqualTo(report.switchSequence() + 1);
    assertThat(registry.primary("matching"))
        .contains(new EndpointRegistry.Entry("10.0.0.2:9001", 1));
    assertThat(runtime.role()).isEqualTo(Role.PRIMARY);
    assertThat(afterSwitchRan).isTrue();
    assertThat(report.takeover()).isPositive();
    System.getLogger(SwitchControllerTest.class.getName())
        .log(
            System.Logger.Level.INFO,
            "planned switchover under load: takeover "
                + report.takeover().toNanos() / 1e6
                + " ms at sequence "
                + report.switchSequence());

    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.records())
        .extracting(LogRecord::code)
        .containsSubsequence(
            "SWITCHOVER_REQUESTED",
            "OPERATION_STARTED",
            "SWITCHOVER_FENCED",
            "SWITCHOVER_DRAINED",
            "SWITCHOVER_PROMOTED",
            "ENDPOINT_REGISTRY_UPDATED",
            "SWITCHOVER_COMPLETED",
            "OPERATION_EXECUTED");
    LogRecord executed = runtime.operations().log().tail(1).get(0);
    assertThat(executed.attrs()).containsEntry("action", "switchover");
    assertThat(executed.get(dev.stability.api.event.LogField.REVIEWER)).isEqualTo("li.si");
  }

  @Test
  void gatesRefuseWithTheirReasonsAndNothingIsSwitched() throws Exception {
    startLoad(2);
    awaitFirstMatch();
    standbyHealth = HealthStatus.DOWN;
    SwitchController controller = controller();
    Approval wrong = approve("failover", false);
    assertThatThrownBy(() -> controller.switchover(wrong))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessage(
            "switchover refused: standby-health: the standby is DOWN; approval: the approval is for"
                + " failover, not switchover");
    assertThat(accepting).as("the primary was not stopped").isTrue();
    assertThat(journal.epoch()).isZero();
    assertThat(runtime.role()).isEqualTo(Role.STANDBY);
    SwitchReadiness readiness = controller.readiness(null);
    assertThat(readiness.toText()).contains("FAIL  standby-health").contains("OK    digests-equal");
  }

  @Test
  void aDivergedStandbyIsNotPromoted() throws Exception {
    startLoad(3);
    awaitFirstMatch();
    runtime
        .consistency()
        .auditor()
        .compare(
            new Checkpoint(
                "match-a1",
                10_000_000,
                0,
                new dev.stability.api.consistency.DigestValue(1, 1, 1),
                List.of()),
            new Checkpoint(
                "match-b1",
                10_000_000,
                0,
                new dev.stability.api.consistency.DigestValue(1, 2, 2),
                List.of()));
    assertThatThrownBy(() -> controller().switchover(approve("switchover", false)))
        .hasMessageContaining(
            "digests-equal: primary and standby differ since checkpoint 10000000");
  }

  @Test
  void aFailoverRefusesAStandbyThatCannotTakeEverythingInTheJournal() throws Exception {
    standbyBook.failAt = 301;
    startLoad(4);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> journal.lastSequence() > 1_000);
    assertThatThrownBy(() -> controller().failover(approve("failover", true)))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("the standby applied 300 of the ")
        .hasMessageContaining("and stopped: cannot apply order 301")
        .hasMessageEndingWith("nothing was promoted");
    assertThat(runtime.role()).isEqualTo(Role.STANDBY);
  }

  @Test
  void aFailoverReportsTheRecordsThatWereNeverDurable() throws Exception {
    // A batch that never fills: when the primary dies nothing it appended was durable yet.
    Journal lazy =
        runtime
            .journals()
            .open(
                JournalSettings.builder("lazy", dir.resolve("lazy"))
                    .segmentSize(4 << 20)
                    .flush(FlushPolicy.batch(1_000_000, Duration.ofSeconds(60)))
                    .build());
    Follower lazyFollower =
        runtime
            .standby()
            .follow(
                FollowerSettings.builder("lazy-b1", dir.resolve("lazy-standby")).build(),
                JournalSource.of(lazy),
                standbyBook);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 2_000; i++) {
      byte[] order = NetBook.order(random);
      long seq = lazy.append(0, order);
      primaryBook.apply(seq, 0, ByteBuffer.wrap(order));
    }
    assertThat(lazy.durableSequence()).isZero();

    SwitchReport report = controller(lazy, lazyFollower).failover(approve("failover", true));

    assertThat(report.kind()).isEqualTo("failover");
    assertThat(report.switchSequence()).isEqualTo(2_000);
    assertThat(report.lostFrom()).isEqualTo(1);
    assertThat(report.lostTo()).isEqualTo(2_000);
    assertThat(report.digestsEqual()).isTrue();
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("FAILOVER_COMPLETED").get(0).message())
        .contains("records 1..2000 were not yet durable (never acknowledged)");
    LogRecord lossReport = runtime.operations().log().tail(1).get(0);
    assertThat(lossReport.attrs())
        .containsEntry("action", "failover.loss-report")
        .containsEntry("param.lost_from", "1")
        .containsEntry("param.lost_to", "2000");
  }

  @Test
  void failoverFromAReplicaNamesTheRecordsThatNeverReachedIt() throws Exception {
    // The journal is the standby's replica of a primary in another process, which said it had
    // 250 records more than ever arrived here before it vanished.
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 1_000; i++) {
      byte[] order = NetBook.order(random);
      long seq = journal.append(0, order);
      primaryBook.apply(seq, 0, ByteBuffer.wrap(order));
    }
    journal.sync();
    long last = journal.lastSequence();

    SwitchReport report =
        controller(journal, follower, () -> last + 250).failover(approve("failover", true));

    assertThat(report.switchSequence()).isEqualTo(last);
    assertThat(report.lostFrom()).isEqualTo(last + 1);
    assertThat(report.lostTo()).isEqualTo(last + 250);
    assertThat(report.possiblyLost()).isEqualTo(250);
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("FAILOVER_COMPLETED").get(0).message())
        .contains("records " + (last + 1) + ".." + (last + 250) + " of the old primary never")
        .contains("under SEMI_SYNC none");
    LogRecord lossReport = runtime.operations().log().tail(1).get(0);
    assertThat(lossReport.attrs()).containsEntry("param.lost_to", String.valueOf(last + 250));
  }

  /** A controller for a standby whose primary runs in another process and hands over. */
  private SwitchController remoteController(RemotePrimary primary, Duration drainTimeout) {
    return standby.controller(
        journal,
        follower,
        drainTimeout,
        participants ->
            participants
                .remotePrimary(primary)
                .stopPrimary(() -> {})
                .standbyHealth(() -> standbyHealth)
                .promote(promotedAt::set)
                .registry(registry));
  }

  /** The journal as a replica: what a remote primary sent before it was asked to hand over. */
  private long replicate(int records) {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < records; i++) {
      byte[] order = NetBook.order(random);
      long seq = journal.append(0, order);
      primaryBook.apply(seq, 0, ByteBuffer.wrap(order));
    }
    journal.sync();
    return journal.lastSequence();
  }

  @Test
  void aRemotePrimaryThatHandsOverIsDrainedToWhereItStoppedThenTheStandbyPromotes()
      throws Exception {
    long last = replicate(1_000);
    SwitchReport report =
        remoteController(
                timeout -> new RemotePrimary.Handover(last, 1, primaryBook.digestValue()),
                Duration.ofSeconds(10))
            .switchover(approve("switchover", false));

    assertThat(report.switchSequence()).isEqualTo(last);
    assertThat(report.epoch()).isEqualTo(1).isEqualTo(journal.epoch());
    assertThat(report.digestsEqual()).isTrue();
    assertThat(promotedAt.get()).isEqualTo(1);
    assertThat(runtime.role()).isEqualTo(Role.PRIMARY);
    assertThat(registry.primary("matching").orElseThrow().address()).isEqualTo("10.0.0.2:9001");
  }

  @Test
  void aRemotePrimaryWhoseDigestDiffersAtTheSwitchSequenceIsNotFollowedByAPromotion()
      throws Exception {
    long last = replicate(1_000);
    SwitchController controller =
        remoteController(
            timeout ->
                new RemotePrimary.Handover(
                    last, 1, new dev.stability.api.consistency.DigestValue(1, 2, 3)),
            Duration.ofSeconds(10));
    assertThatThrownBy(() -> controller.switchover(approve("switchover", false)))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("digests differ at the switch sequence " + last)
        .hasMessageContaining("nothing was promoted");
    assertThat(promotedAt.get()).isZero();
    assertThat(runtime.role()).isEqualTo(Role.STANDBY);
  }

  @Test
  void aRemotePrimaryThatStoppedBeyondWhatReachedTheStandbyIsNotFollowedByAPromotion()
      throws Exception {
    long last = replicate(1_000);
    SwitchController controller =
        remoteController(
            timeout -> new RemotePrimary.Handover(last + 10, 1, primaryBook.digestValue()),
            Duration.ofMillis(300));
    assertThatThrownBy(() -> controller.switchover(approve("switchover", false)))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("applied " + last + " of the primary's " + (last + 10) + " records")
        .hasMessageContaining("the old primary stays stopped and fenced at epoch 1");
    assertThat(promotedAt.get()).isZero();
  }

  @Test
  void aRemotePrimaryThatRefusesLeavesEverythingAsItWas() throws Exception {
    replicate(100);
    SwitchController controller =
        remoteController(
            timeout -> {
              throw new SwitchRefusedException("the primary refused to hand over: auction", null);
            },
            Duration.ofSeconds(10));
    assertThatThrownBy(() -> controller.switchover(approve("switchover", false)))
        .hasMessageContaining("auction");
    assertThat(journal.epoch()).isZero();
    assertThat(promotedAt.get()).isZero();
  }

  @Test
  void missingParticipantsAreNamed() {
    assertThatThrownBy(() -> SwitchParticipants.builder().journal(journal).build())
        .hasMessage("switch.participants.standby = null: must be set");
  }
}
