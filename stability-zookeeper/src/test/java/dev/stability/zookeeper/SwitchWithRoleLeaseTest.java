package dev.stability.zookeeper;

import static dev.stability.api.health.HealthStatus.DOWN;
import static dev.stability.api.health.HealthStatus.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry.Entry;
import dev.stability.api.switchover.RoleLease.Holder;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.fixtures.SwitchStandby;
import dev.stability.core.operations.Approval;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.NetBook;
import dev.stability.core.switchover.FailoverPolicy;
import dev.stability.core.switchover.PrimaryLeaseWatch;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.testkit.members.MemberGateway;
import dev.stability.testkit.members.MemberSessions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role lease as one more gate of the switch controller, on a real ZooKeeper server: a failover
 * is refused while the old primary still holds the role, and goes through once its session ended; a
 * planned switchover takes the role over from the primary it stops; either way the journal is
 * fenced with the epoch ZooKeeper issued, and the name service points clients at the new primary.
 */
class SwitchWithRoleLeaseTest {

  @TempDir Path dir;
  private TestingServer server;
  private SwitchStandby standby;
  private StabilityRuntime runtime;
  private Journal journal;
  private final NetBook primaryBook = new NetBook();
  private Follower follower;
  private ZooKeeperConnection primaryConnection;
  private ZooKeeperRoleLease primaryLease;
  private ZooKeeperRoleLease standbyLease;
  private ZooKeeperEndpointRegistry registry;
  private final AtomicLong promotedAt = new AtomicLong();
  private CapturingSink events;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    standby = new SwitchStandby(dir);
    runtime = standby.runtime();
    events = standby.events();
    journal = runtime.journals().inMemory();
    follower = standby.follow(journal, 100);
    primaryConnection = connect();
    primaryLease =
        ZooKeeperRoleLease.open(
            runtime, primaryConnection, RoleLeaseSettings.of("MATCH", "match-a1"));
    standbyLease =
        ZooKeeperRoleLease.open(runtime, connect(), RoleLeaseSettings.of("MATCH", "match-b1"));
    registry = ZooKeeperEndpointRegistry.open(connect());
    resources.add(registry);
    resources.add(standbyLease);
    resources.add(primaryLease);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    standby.close();
    server.close();
  }

  private ZooKeeperConnection connect() throws InterruptedException {
    ZooKeeperConnection connection =
        ZooKeeperConnection.start(
            ZooKeeperSettings.builder(server.getConnectString())
                .sessionTimeout(Duration.ofSeconds(2))
                .build());
    resources.add(connection);
    return connection;
  }

  /** The primary takes the role, publishes itself and takes 500 orders at its epoch. */
  private long runPrimary() throws Exception {
    return runPrimary("10.0.0.1:9001");
  }

  private long runPrimary(String address) throws Exception {
    long epoch = primaryLease.acquire(journal.epoch(), Duration.ofSeconds(5)).orElseThrow();
    journal.fence(epoch);
    registry.publish("matching", address, epoch);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 500; i++) {
      assertThat(primaryLease.held()).isTrue();
      byte[] order = NetBook.order(random);
      long seq = journal.append(epoch, order);
      primaryBook.apply(seq, epoch, ByteBuffer.wrap(order));
      if (seq % 100 == 0) {
        runtime
            .consistency()
            .auditor()
            .primary(Checkpoint.of("match-a1", seq, epoch, primaryBook.digest()));
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> follower.appliedSequence() == 500);
    return epoch;
  }

  private SwitchController controller(Runnable stopPrimary) {
    return controller(stopPrimary, "10.0.0.2:9001", promotedAt::set);
  }

  private SwitchController controller(
      Runnable stopPrimary, String standbyAddress, java.util.function.LongConsumer promote) {
    return standby.controller(
        journal,
        follower,
        standbyAddress,
        Duration.ofSeconds(2),
        participants ->
            participants
                .stopPrimary(stopPrimary)
                .primaryDigest(primaryBook::digestValue)
                .standbyHealth(() -> UP)
                .promote(promote)
                .registry(registry)
                .lease(standbyLease));
  }

  private Approval approve(String action) {
    return standby.approved(action, true);
  }

  @Test
  void underManualPolicyAVacantRoleIsReportedAndReadinessFailsButNothingIsPromoted()
      throws Exception {
    long first = runPrimary();
    SwitchController controller = controller(() -> {});
    try (PrimaryLeaseWatch watch =
        PrimaryLeaseWatch.start(
            runtime, standbyLease, controller, FailoverPolicy.MANUAL, Duration.ofMillis(50))) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> runtime.health().check(PrimaryLeaseWatch.CHECK).status() == UP);

      primaryConnection.close(); // the primary's process dies: its session ends with it

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> runtime.health().check(PrimaryLeaseWatch.CHECK).status() == DOWN);
      assertThat(runtime.health().check(PrimaryLeaseWatch.CHECK).reason())
          .contains("nobody holds the primary role (last match-a1 at epoch " + first + ")")
          .contains("MANUAL");
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(events.withCode("ROLE_LEASE_VACANT")).hasSize(1);
      Thread.sleep(300); // several more readings: still nobody promoted
      assertThat(promotedAt.get()).isZero();
      assertThat(journal.epoch()).isEqualTo(first);

      // two operators fail over; the check reads the new holder
      controller.failover(approve("failover"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> runtime.health().check(PrimaryLeaseWatch.CHECK).status() == UP);
      assertThat(runtime.health().check(PrimaryLeaseWatch.CHECK).reason())
          .contains("this participant, match-b1 holds the role at epoch " + (first + 1));
    }
  }

  @Test
  void underAutomaticPolicyTheStandbyFailsOverWhenThePrimarysSessionEnds() throws Exception {
    long first = runPrimary();
    SwitchController controller = controller(() -> {});
    try (PrimaryLeaseWatch watch =
        PrimaryLeaseWatch.start(
            runtime, standbyLease, controller, FailoverPolicy.AUTOMATIC, Duration.ofMillis(50))) {
      Thread.sleep(200);
      assertThat(watch.automaticFailover()).as("not while the primary holds the role").isEmpty();

      primaryConnection.close();

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> promotedAt.get() == first + 1);
      SwitchReport report = watch.automaticFailover().orElseThrow();
      assertThat(report.switchSequence()).isEqualTo(500);
      assertThat(report.epoch()).isEqualTo(first + 1).isEqualTo(journal.epoch());
      assertThat(standbyLease.held()).isTrue();
      assertThat(registry.primary("matching")).contains(new Entry("10.0.0.2:9001", first + 1));
      // the operation log says what took the role, and why
      assertThat(
              runtime.operations().log().tail(5).stream()
                  .filter(r -> "failover".equals(r.attrs().get("action")))
                  .toList())
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.text(dev.stability.api.event.LogField.OPERATOR))
                    .isEqualTo("policy:automatic");
                assertThat(r.attrs().get("reason")).contains("the primary role fell vacant");
              });
    }
  }

  @Test
  void underAutomaticPolicyEveryMemberFollowsTheNameServiceToTheNewPrimary() throws Exception {
    MemberGateway primaryGateway = MemberGateway.open(0);
    resources.add(primaryGateway);
    int standbyPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      standbyPort = probe.getLocalPort();
    }
    String standbyAddress = "127.0.0.1:" + standbyPort;
    long first = runPrimary(primaryGateway.address());
    List<MemberGateway> promoted = new java.util.concurrent.CopyOnWriteArrayList<>();
    SwitchController controller =
        controller(
            () -> {},
            standbyAddress,
            epoch -> {
              promoted.add(MemberGateway.open(standbyPort));
              promotedAt.set(epoch);
            });
    MemberSessions members =
        MemberSessions.start(
            runtime, "matching", 20, registry, primaryGateway.address(), standbyAddress);
    resources.add(members);
    assertThat(members.awaitConnected(Duration.ofSeconds(10))).isEqualTo(20);
    try (PrimaryLeaseWatch watch =
        PrimaryLeaseWatch.start(
            runtime, standbyLease, controller, FailoverPolicy.AUTOMATIC, Duration.ofMillis(50))) {
      members.switchStarted();
      primaryConnection.close(); // the primary's process is gone: its session ends ...
      primaryGateway.close(); // ... and its members are dropped

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> promotedAt.get() == first + 1);
      assertThat(registry.primary("matching")).contains(new Entry(standbyAddress, first + 1));
      assertThat(members.awaitReconnectedTo(standbyAddress, Duration.ofSeconds(10)))
          .as(members.missing(standbyAddress))
          .isEqualTo(20);
    } finally {
      members.close();
      for (MemberGateway gateway : promoted) {
        gateway.close();
      }
    }
  }

  @Test
  void aLeaseWatchReadingTooOftenOrTooRarelyIsRefusedAndRegistersNothing() {
    SwitchController controller = controller(() -> {});
    assertThatThrownBy(
            () ->
                PrimaryLeaseWatch.start(
                    runtime, standbyLease, controller, FailoverPolicy.MANUAL, Duration.ofMillis(1)))
        .isInstanceOf(dev.stability.api.ConfigurationException.class)
        .hasMessage("switch.lease-watch.every = PT0.001S: must be from 10 ms to 1 min");
    assertThatThrownBy(
            () ->
                PrimaryLeaseWatch.start(
                    runtime,
                    standbyLease,
                    controller,
                    FailoverPolicy.MANUAL,
                    Duration.ofMinutes(2)))
        .hasMessage("switch.lease-watch.every = PT2M: must be from 10 ms to 1 min");
    assertThat(runtime.health().lastResults())
        .noneMatch(r -> r.name().equals(PrimaryLeaseWatch.CHECK));
  }

  @Test
  void anAutomaticFailoverWithoutARoleLeaseIsRefused() {
    SwitchController withoutLease =
        standby.controller(
            journal,
            follower,
            Duration.ofSeconds(2),
            participants ->
                participants
                    .stopPrimary(() -> {})
                    .primaryDigest(primaryBook::digestValue)
                    .standbyHealth(() -> UP)
                    .promote(promotedAt::set)
                    .registry(registry));
    assertThatThrownBy(() -> withoutLease.failoverAutomatically("test"))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("an automatic failover needs a role lease");
    assertThat(promotedAt.get()).isZero();
  }

  @Test
  void aFailoverIsRefusedWhileWhoHoldsTheRoleCannotBeReadNotTakenForNobody() throws Exception {
    long first = runPrimary();
    SwitchController controller = controller(() -> {});
    server.stop(); // the ensemble is out of reach: the holder is unknown, not absent

    assertThatThrownBy(() -> controller.failover(approve("failover")))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("role-lease: who holds the role is unknown");
    assertThat(journal.epoch()).isEqualTo(first);
    assertThat(promotedAt.get()).isZero();
    server.restart();
  }

  @Test
  void aFailoverWaitsUntilTheOldPrimaryNoLongerHoldsTheRole() throws Exception {
    long first = runPrimary();
    SwitchController controller = controller(() -> {});

    assertThatThrownBy(() -> controller.failover(approve("failover")))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining(
            "role-lease: the role is held by match-a1 at epoch "
                + first
                + ": the old primary may be alive");
    assertThat(journal.epoch()).isEqualTo(first);

    primaryConnection.close(); // the primary's process dies: its session ends with it
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> standbyLease.holder().isEmpty());
    SwitchReport report = controller.failover(approve("failover"));

    assertThat(report.epoch()).isEqualTo(first + 1);
    assertThat(journal.epoch()).isEqualTo(first + 1);
    assertThat(promotedAt.get()).isEqualTo(first + 1);
    assertThat(standbyLease.held()).isTrue();
    assertThat(standbyLease.holder()).contains(new Holder("match-b1", first + 1));
    assertThat(registry.primary("matching")).contains(new Entry("10.0.0.2:9001", first + 1));
    assertThatThrownBy(() -> journal.append(first, new byte[] {1}))
        .isInstanceOf(EpochFencedException.class);
  }

  @Test
  void aPlannedSwitchoverTakesTheRoleOverFromThePrimaryItStops() throws Exception {
    long first = runPrimary();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.consistency().auditor().lastMatchedSequence().isPresent());
    SwitchController controller = controller(primaryLease::release);
    assertThat(controller.readiness(approve("switchover")).ready()).isTrue();

    SwitchReport report = controller.switchover(approve("switchover"));

    assertThat(report.digestsEqual()).isTrue();
    assertThat(report.epoch()).isEqualTo(first + 1);
    assertThat(primaryLease.held()).isFalse();
    assertThat(standbyLease.holder()).contains(new Holder("match-b1", first + 1));
    assertThat(registry.primary("matching")).contains(new Entry("10.0.0.2:9001", first + 1));
  }

  @Test
  void aPlannedSwitchoverWhosePrimaryKeepsTheRoleFailsBeforeFencing() throws Exception {
    long first = runPrimary();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.consistency().auditor().lastMatchedSequence().isPresent());
    SwitchController controller = controller(() -> {}); // stops, but keeps the lease

    assertThatThrownBy(() -> controller.switchover(approve("switchover")))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining(
            "the role lease was not granted to match-b1 within 2000 ms (held by match-a1 at epoch "
                + first
                + "); the journal is not fenced, nothing was promoted");
    assertThat(journal.epoch()).isEqualTo(first);
    assertThat(primaryLease.held()).isTrue();
    assertThat(promotedAt.get()).isZero();
  }
}
