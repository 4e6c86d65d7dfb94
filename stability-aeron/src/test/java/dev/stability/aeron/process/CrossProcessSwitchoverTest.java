package dev.stability.aeron.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.DigestBook;
import dev.stability.aeron.Loopback;
import dev.stability.aeron.RemotePrimaryParticipants;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.DualControl;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.testkit.members.MemberGateway;
import dev.stability.testkit.members.MemberSessions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned switchover across processes: the primary in a child JVM, under load, holding member
 * sessions; the standby in this JVM runs the switch through its own runtime's dual control. The
 * primary hands over (stops input, closes its gateway, fences its journal, sends everything), the
 * standby drains to that sequence, compares digests, fences its own journal and promotes; members
 * reconnect to it through the endpoint registry.
 */
class CrossProcessSwitchoverTest {

  private static final int MEMBERS = 20;

  @TempDir Path dir;

  @Test
  void thePrimaryProcessHandsOverAndMembersReconnectToThePromotedStandbyWithinASecond()
      throws Exception {
    String standbyEndpoint = Loopback.freeEndpoint();
    String primaryEndpoint = Loopback.freeEndpoint();
    int primaryGateway = freeTcpPort();
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(standbyEndpoint, primaryEndpoint)
            .heartbeat(Duration.ofMillis(20))
            .build();
    CapturingSink events = new CapturingSink();
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("OMS")
            .subsystem("oe")
            .instanceId("standby")
            .role(Role.STANDBY)
            .build();
    EndpointRegistry registry = EndpointRegistries.file(dir.resolve("registry.properties"));
    String primaryAddress = "127.0.0.1:" + primaryGateway;
    registry.publish("orders", primaryAddress, 1);
    List<AutoCloseable> resources = new ArrayList<>();
    try (StabilityRuntime runtime =
            TestRuntimes.quiet(identity)
                .eventSink(events)
                .guard(WarmGuards.clearingLink())
                .guard(WarmGuards.riskDb())
                .operations(
                    OperationSettings.builder().logFile(dir.resolve("ops/ops.jsonl")).build())
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(4 << 20)
                    .directory(dir.resolve("b"))
                    .build());
        ChildJvm primary =
            ChildJvm.start(
                "primary",
                HandoverPrimaryProcess.class,
                dir.toString(),
                standbyEndpoint,
                primaryEndpoint,
                String.valueOf(primaryGateway),
                "5000")) {
      ReplicaJournal journal =
          runtime
              .journals()
              .openReplica(
                  JournalSettings.builder("standby", dir.resolve("standby"))
                      .segmentSize(64 << 20)
                      .flush(FlushPolicy.os())
                      .build());
      AeronJournalSource source = AeronJournalSource.start(runtime, journal, media, settings);
      resources.add(AeronWarmLink.standby(runtime, media, settings, Duration.ofMillis(50)));
      DigestBook book = new DigestBook();
      Follower follower =
          runtime
              .standby()
              .follow(
                  FollowerSettings.builder("oe-b1", dir.resolve("follower")).build(), source, book);
      await()
          .atMost(Duration.ofSeconds(60))
          .failFast(() -> primary.printed(l -> l.contains("Exception")))
          .until(() -> primary.printed("ready"::equals));

      // members hold sessions with the primary and reconnect through the registry when dropped
      int standbyPort = freeTcpPort();
      String standbyAddress = "127.0.0.1:" + standbyPort;
      MemberSessions members =
          MemberSessions.start(
              runtime, "orders", MEMBERS, registry, primaryAddress, standbyAddress);
      resources.add(members);
      assertThat(members.awaitConnected(Duration.ofSeconds(20))).isEqualTo(MEMBERS);
      await().atMost(Duration.ofSeconds(20)).until(() -> primary.lastAck() > 5_000);

      AtomicLong promotedAt = new AtomicLong(-1);
      var controller =
          runtime
              .switchover()
              .controller(
                  SwitchSettings.of("orders", standbyAddress),
                  RemotePrimaryParticipants.of(journal, follower, source, book)
                      .remotePrimary(source.remotePrimary())
                      .promote(
                          epoch -> {
                            promotedAt.set(epoch);
                            resources.add(MemberGateway.open(standbyPort));
                          })
                      .registry(registry)
                      .build());
      Approval approval =
          DualControl.approved(
              runtime, "switchover", "orders", "planned: primary host maintenance", false);
      // the gates read the remote primary: the standby's lag counts what it has not yet received
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(controller.readiness(approval).ready())
                      .as(controller.readiness(approval).toString())
                      .isTrue());

      // warm: the primary's state and its operation log's records reached this standby
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> runtime.warmStandby().replicaHead().sequence() >= 1);
      members.switchStarted();
      SwitchReport report = controller.switchover(approval);

      // the primary stopped where the standby took over: nothing lost, nothing extra
      await().atMost(Duration.ofSeconds(10)).until(() -> primary.printed(l -> l.equals("fenced")));
      long handedOverAt =
          Long.parseLong(primary.output().replaceAll("(?s).*handed-over (\\d+).*", "$1").trim());
      assertThat(report.switchSequence()).isEqualTo(handedOverAt).isGreaterThan(5_000);
      assertThat(report.digestsEqual()).isTrue();
      assertThat(report.possiblyLost()).isZero();
      assertThat(book.count()).isEqualTo(handedOverAt);
      assertThat(promotedAt.get()).isEqualTo(journal.epoch()).isEqualTo(2);
      assertThat(journal.append(journal.epoch(), new byte[100])).isEqualTo(handedOverAt + 1);
      assertThat(runtime.role()).isEqualTo(Role.PRIMARY);
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(report.takeover())
          .as(
              "%s",
              events.records().stream()
                  .filter(r -> r.code().startsWith("SWITCHOVER"))
                  .map(r -> r.timestamp() + " " + r.code() + " " + r.message())
                  .toList())
          .isLessThan(Duration.ofSeconds(1));
      assertThat(registry.primary("orders"))
          .hasValue(new EndpointRegistry.Entry(standbyAddress, 2));

      // every member is back, on the new primary, within a second of the switch command
      assertThat(members.awaitReconnectedTo(standbyAddress, Duration.ofSeconds(10)))
          .as(members.missing(standbyAddress))
          .isEqualTo(MEMBERS);
      assertThat(members.slowestReconnect()).isLessThan(Duration.ofSeconds(1));
      members.close();
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(events.withCode("SWITCHOVER_COMPLETED")).hasSize(1);
      assertThat(events.withCode("CLIENT_RECONNECTED")).hasSizeGreaterThanOrEqualTo(MEMBERS);

      // the new primary took over warm: the breaker the clearing link opened is still open, the
      // guard an operator forced stays forced, and its operation log continues the old chain
      assertThat(runtime.guards().guard("clearing-link").circuitState())
          .isEqualTo(CircuitState.OPEN);
      assertThat(runtime.guards().guard("risk-db").circuitState())
          .isEqualTo(CircuitState.FORCED_OPEN);
      List<LogRecord> chain = runtime.operations().log().tail(100);
      assertThat(chain.get(0).attrs()).containsEntry("op_seq", "1");
      assertThat(chain.get(0).text(LogField.INSTANCE)).isEqualTo("primary");
      assertThat(chain.get(chain.size() - 1).attrs()).containsEntry("action", "switchover");
      assertThat(runtime.operations().log().verify().intact()).isTrue();
      assertThat(events.withCode("WARM_STATE_INHERITED")).hasSize(1);
      // the old primary, still running, keeps sending its state: the new primary refuses it
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.withCode("WARM_STATE_REFUSED").stream()
                      .anyMatch(r -> r.message().contains("this runtime is primary")));
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        resources.get(i).close();
      }
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
