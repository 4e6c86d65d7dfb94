package dev.stability.aeron.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.DigestBook;
import dev.stability.aeron.Loopback;
import dev.stability.aeron.RemotePrimaryParticipants;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.DualControl;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalReconciliation;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary in a child JVM, killed with SIGKILL; the standby in this JVM fails over through its
 * own runtime's dual control: it applies every record it received, fences, continues its own
 * journal at the next sequence with the new epoch, and reports the range that never reached it.
 */
class CrossProcessFailoverTest {

  @TempDir Path dir;

  @Test
  void theStandbyProcessTakesOverAfterAKillAndReportsWhatNeverReachedIt() throws Exception {
    String standbyEndpoint = Loopback.freeEndpoint();
    String primaryEndpoint = Loopback.freeEndpoint();
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
    try (StabilityRuntime runtime =
            TestRuntimes.quiet(identity)
                .eventSink(events)
                .operations(
                    OperationSettings.builder().logFile(dir.resolve("ops/ops.jsonl")).build())
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(4 << 20)
                    .directory(dir.resolve("b"))
                    .build())) {
      ReplicaJournal journal =
          runtime
              .journals()
              .openReplica(
                  JournalSettings.builder("standby", dir.resolve("standby"))
                      .segmentSize(64 << 20)
                      .flush(FlushPolicy.os())
                      .build());
      AeronJournalSource source = AeronJournalSource.start(runtime, journal, media, settings);
      DigestBook book = new DigestBook();
      Follower follower =
          runtime
              .standby()
              .follow(
                  FollowerSettings.builder("oe-b1", dir.resolve("follower")).build(), source, book);

      ChildJvm primary =
          ChildJvm.start(
              "primary", "primary", dir.toString(), standbyEndpoint, primaryEndpoint, "ASYNC", "0");
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> source.receivedSequence() > 20_000);
      } finally {
        primary.kill();
      }
      long heard = source.lastSequence();

      AtomicLong promotedAt = new AtomicLong(-1);
      var controller =
          runtime
              .switchover()
              .controller(
                  SwitchSettings.of("orders", "standby-host:9001"),
                  // closing the source stops listening for the primary, which is gone
                  RemotePrimaryParticipants.of(journal, follower, source, book)
                      .primaryDigest(
                          () -> {
                            throw new IllegalStateException("the primary is gone");
                          })
                      .promote(promotedAt::set)
                      .registry(EndpointRegistries.inMemory())
                      .build());
      Approval approval =
          DualControl.approved(runtime, "failover", "orders", "primary host lost", true);
      long received = journal.lastSequence();
      SwitchReport report = controller.failover(approval);

      // every record it received was applied, and the journal continues from there
      assertThat(report.switchSequence()).isEqualTo(received);
      assertThat(book.count()).isEqualTo(received);
      assertThat(promotedAt.get()).isEqualTo(journal.epoch()).isGreaterThan(1);
      assertThat(journal.append(journal.epoch(), new byte[100])).isEqualTo(received + 1);
      assertThat(runtime.role()).isEqualTo(Role.PRIMARY);
      // what the primary had and the standby never got is named exactly
      if (heard > received) {
        assertThat(report.lostFrom()).isEqualTo(received + 1);
        assertThat(report.lostTo()).isEqualTo(heard);
      } else {
        assertThat(report.possiblyLost()).isZero();
      }
      assertThat(report.takeover()).isLessThan(Duration.ofSeconds(1));

      // The exact loss, once the former primary's files can be read (its process is gone): every
      // record it held beyond the switch, which contains every acknowledgement its clients saw
      // beyond what reached the standby; the standby's own report was a lower bound of it.
      long acknowledged = primary.lastAck();
      JournalReconciliation exact =
          runtime.journals().reconcile(dir.resolve("primary"), dir.resolve("standby"));
      assertThat(exact.consistent()).as("%s", exact).isTrue();
      assertThat(exact.commonThrough()).isEqualTo(received);
      assertThat(exact.formerLast()).isGreaterThanOrEqualTo(Math.max(acknowledged, heard));
      if (exact.formerLast() > received) {
        assertThat(exact.lostFrom()).isEqualTo(received + 1);
        assertThat(exact.lostTo()).isEqualTo(exact.formerLast());
      } else {
        assertThat(exact.lost()).isZero();
      }
      assertThat(exact.lostTo()).isGreaterThanOrEqualTo(report.lostTo());
      assertThat(exact.promotedLast()).isEqualTo(received + 1);
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(events.withCode("FAILOVER_COMPLETED")).hasSize(1);
    }
  }
}
