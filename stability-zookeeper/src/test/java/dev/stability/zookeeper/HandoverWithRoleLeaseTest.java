package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.DigestBook;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.Loopback;
import dev.stability.aeron.RemotePrimaryParticipants;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.RoleLease.Holder;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.DualControl;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.LeasedJournal;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned switchover across processes (the primary's {@link JournalPublisher} asked to hand over
 * by the standby's switch controller over Aeron) with the role as a lease on a real ZooKeeper
 * server: given the lease, the publisher releases it itself once the input stopped and the journal
 * is fenced, and the standby takes the role with a new epoch; without it, a handler that does not
 * release keeps the role and the switch fails before anything is fenced or promoted.
 */
class HandoverWithRoleLeaseTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private TestingServer server;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private StabilityRuntime standbyRuntime;
  private ZooKeeperRoleLease primaryLease;
  private ZooKeeperRoleLease standbyLease;
  private JournalPublisher publisher;
  private AeronJournalSource source;
  private ReplicaJournal replica;
  private Follower follower;
  private LeasedJournal input;
  private long firstEpoch;
  private final DigestBook primaryBook = new DigestBook();
  private final DigestBook standbyBook = new DigestBook();
  private final AtomicLong promoted = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    server =
        closing(
            new TestingServer(
                new InstanceSpec(null, -1, -1, -1, true, -1, Ensembles.TICK_MS, -1), true));
    StabilityRuntime primaryRuntime = closing(TestRuntimes.quiet("oms-a1").build());
    standbyRuntime =
        closing(
            TestRuntimes.quiet("oms-b1")
                .operations(
                    OperationSettings.builder().logFile(dir.resolve("ops/ops.jsonl")).build())
                .build());
    AeronMedia primaryMedia =
        closing(
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(1 << 20)
                    .directory(dir.resolve("a"))
                    .build()));
    AeronMedia standbyMedia =
        closing(
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(1 << 20)
                    .directory(dir.resolve("b"))
                    .build()));
    primaryLease = lease(primaryRuntime, "oms-a1");
    standbyLease = lease(standbyRuntime, "oms-b1");
    Journal primaryJournal = primaryRuntime.journals().open(journal("primary"));
    replica = standbyRuntime.journals().openReplica(journal("standby"));
    firstEpoch = primaryLease.acquire(primaryJournal.epoch(), WAIT).orElseThrow();
    primaryJournal.fence(firstEpoch);
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(Loopback.freeEndpoint(), Loopback.freeEndpoint())
            .heartbeat(Duration.ofMillis(20))
            .build();
    publisher =
        closing(JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings));
    source = closing(AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings));
    follower =
        standbyRuntime
            .standby()
            .follow(
                FollowerSettings.builder("oms-b1", dir.resolve("follower")).build(),
                source,
                standbyBook);
    input = LeasedJournal.of(publisher.journal(), primaryLease);
    for (int i = 0; i < 500; i++) {
      byte[] order = {(byte) i, (byte) (i >> 8)};
      long sequence = input.append(firstEpoch, order);
      primaryBook.apply(sequence, firstEpoch, ByteBuffer.wrap(order));
    }
    await().atMost(WAIT).until(() -> follower.appliedSequence() == 500);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private ZooKeeperRoleLease lease(StabilityRuntime runtime, String participant)
      throws InterruptedException {
    ZooKeeperConnection connection =
        closing(
            ZooKeeperConnection.start(
                ZooKeeperSettings.builder(server.getConnectString())
                    .sessionTimeout(Duration.ofSeconds(2))
                    .build()));
    return closing(
        ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", participant)));
  }

  private JournalSettings journal(String name) {
    return JournalSettings.builder(name, dir.resolve(name)).flush(FlushPolicy.os()).build();
  }

  private SwitchController controller() {
    return standbyRuntime
        .switchover()
        .controller(
            new SwitchSettings("orders", "127.0.0.1:9002", 100_000, Duration.ofSeconds(2)),
            RemotePrimaryParticipants.of(replica, follower, source, standbyBook)
                .remotePrimary(source.remotePrimary())
                .promote(promoted::set)
                .registry(EndpointRegistries.inMemory())
                .lease(standbyLease)
                .build());
  }

  private Approval approved() {
    return DualControl.approved(
        standbyRuntime, "switchover", "orders", "planned: primary host maintenance", false);
  }

  @Test
  void thePublisherReleasesTheOldPrimarysLeaseAndTheStandbyTakesTheRoleWithANewEpoch()
      throws Exception {
    publisher.acceptHandover(() -> primaryBook.digest().value(), primaryLease);

    SwitchReport report = controller().switchover(approved());

    assertThat(report.switchSequence()).isEqualTo(500);
    assertThat(report.digestsEqual()).isTrue();
    assertThat(report.epoch()).isGreaterThan(firstEpoch);
    assertThat(promoted.get()).isEqualTo(report.epoch()).isEqualTo(replica.epoch());
    assertThat(primaryLease.held()).isFalse();
    assertThat(standbyLease.held()).isTrue();
    assertThat(standbyLease.holder()).contains(new Holder("oms-b1", report.epoch()));
    assertThatThrownBy(() -> input.append(firstEpoch, new byte[1]))
        .isInstanceOf(RoleNotHeldException.class);
    assertThat(replica.append(report.epoch(), new byte[1])).isEqualTo(501);
  }

  @Test
  void aHandlerThatKeepsTheLeaseFailsTheSwitchBeforeAnythingIsFencedOrPromoted() throws Exception {
    publisher.acceptHandover(() -> primaryBook.digest().value()); // not told of the lease

    assertThatThrownBy(() -> controller().switchover(approved()))
        .hasMessageContaining("the role lease was not granted to oms-b1")
        .hasMessageContaining("held by oms-a1 at epoch " + firstEpoch)
        .hasMessageContaining("nothing was promoted");

    assertThat(primaryLease.held()).isTrue();
    assertThat(standbyLease.held()).isFalse();
    assertThat(promoted.get()).isZero();
    assertThat(replica.epoch()).isLessThan(firstEpoch + 1);
  }
}
