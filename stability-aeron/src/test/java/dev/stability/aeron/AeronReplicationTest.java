package dev.stability.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stability.aeron.internal.Wire;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.event.LogRecord;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.health.CheckResult;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalFrames;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import io.aeron.ExclusivePublication;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.RandomLossGenerator;
import io.aeron.driver.status.SystemCounterDescriptor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primary and standby, each with its own runtime and its own embedded media driver, replicating
 * over UDP on loopback: what two hosts do, in one JVM. Child JVMs and kill -9 are in the cross-
 * process tests.
 */
class AeronReplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final CapturingSink primaryEvents = new CapturingSink();
  private final CapturingSink standbyEvents = new CapturingSink();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private StabilityRuntime primaryRuntime;
  private StabilityRuntime standbyRuntime;
  private AeronMedia primaryMedia;
  private AeronMedia standbyMedia;
  private Journal primaryJournal;

  @BeforeEach
  void start() {
    primaryRuntime = TestRuntimes.quiet("primary").eventSink(primaryEvents).build();
    standbyRuntime = TestRuntimes.quiet("standby").eventSink(standbyEvents).build();
    primaryMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 20).directory(dir.resolve("a")).build());
    standbyMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 20).directory(dir.resolve("b")).build());
    primaryJournal = primaryRuntime.journals().open(journal("primary"));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    standbyMedia.close();
    primaryMedia.close();
    standbyRuntime.close();
    primaryRuntime.close();
  }

  private JournalSettings journal(String name) {
    return JournalSettings.builder(name, dir.resolve(name))
        .segmentSize(8 << 20)
        .flush(FlushPolicy.os())
        .build();
  }

  private ReplicationSettings.Builder udp() {
    return ReplicationSettings.builder("orders")
        .udp(Loopback.freeEndpoint(), Loopback.freeEndpoint())
        .heartbeat(Duration.ofMillis(20));
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  private JournalPublisher publisher(ReplicationSettings settings) {
    return keep(JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings));
  }

  private ReplicaJournal replica() {
    return keep(standbyRuntime.journals().openReplica(journal("standby")));
  }

  private AeronJournalSource source(ReplicaJournal replica, ReplicationSettings settings) {
    return keep(AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings));
  }

  /** Waits until both runtimes delivered every event published so far to the sinks. */
  private void eventsDelivered() throws InterruptedException {
    assertThat(primaryRuntime.events().awaitDelivery(WAIT)).isTrue();
    assertThat(standbyRuntime.events().awaitDelivery(WAIT)).isTrue();
  }

  private static byte[] payload(long sequence) {
    byte[] bytes = new byte[100];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (sequence * 31 + i);
    }
    return bytes;
  }

  private void append(Journal journal, long epoch, int count) {
    for (int i = 0; i < count; i++) {
      long next = journal.lastSequence() + 1;
      journal.append(epoch, payload(next));
    }
  }

  /** Every record of both journals, as (sequence, epoch, timestamp, payload) lines. */
  private static List<String> records(Journal journal) {
    List<String> out = new ArrayList<>();
    try (JournalReader reader = journal.reader(1)) {
      while (reader.poll(
              (seq, epoch, ts, p) -> {
                byte[] copy = new byte[p.remaining()];
                p.get(copy);
                out.add(
                    seq + "/" + epoch + "/" + ts + "/" + Arrays.hashCode(copy) + "/" + copy.length);
              },
              10_000)
          > 0) {
        // until the end
      }
    }
    return out;
  }

  @Test
  void everyRecordReachesTheStandbysJournalWithItsSequenceEpochTimestampAndBytes()
      throws Exception {
    ReplicationSettings settings = udp().build();
    JournalPublisher publisher = publisher(settings);
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);

    append(primaryJournal, 1, 50_000);
    primaryJournal.fence(2);
    append(primaryJournal, 2, 50_000);

    await().atMost(WAIT).until(() -> source.receivedSequence() == 100_000);
    await().atMost(WAIT).until(() -> publisher.confirmedSequence() == 100_000);
    assertThat(records(replica)).isEqualTo(records(primaryJournal));
    assertThat(source.lastSequence()).isEqualTo(100_000);
    assertThat(publisher.lag()).isZero();
    eventsDelivered();
    assertThat(standbyEvents.withCode("REPLICATION_RECORD_REFUSED")).isEmpty();
    assertThat(primaryEvents.withCode("REPLICATION_STANDBY_CONNECTED")).hasSize(1);
  }

  @Test
  void thePrimarysTradingReadinessReadsItsRemoteStandby() throws Exception {
    ReplicationSettings settings = udp().maxLag(1_000).build();
    JournalPublisher publisher = publisher(settings);
    primaryRuntime.health().register(publisher.healthCheck());
    CheckResult alone = primaryRuntime.health().check("replication-orders");
    assertThat(alone.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(alone.reason()).isEqualTo("no standby has been heard yet");
    assertThat(alone.effectiveStatus())
        .as("grade 2: degrades, never stops trading")
        .isEqualTo(HealthStatus.DEGRADED);

    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    append(primaryJournal, 1, 2_000);
    await().atMost(WAIT).until(() -> publisher.confirmedSequence() == 2_000);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(primaryRuntime.health().check("replication-orders").status())
                    .isEqualTo(HealthStatus.UP));
    assertThat(primaryRuntime.health().check("replication-orders").details())
        .containsEntry("lag", 0L)
        .containsEntry("confirmed", 2_000L);

    source.close(); // the standby is gone: a failover now would lose what it has not confirmed
    append(primaryJournal, 1, 10);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(primaryRuntime.health().check("replication-orders").reason())
                    .startsWith("no standby heard for")
                    .endsWith("a failover now would lose 10 unconfirmed records"));
  }

  @Test
  void aStandbyThatRestartsResumesFromItsBreakpointWithNoGapAndNoDuplicate() throws Exception {
    ReplicationSettings settings = udp().build();
    publisher(settings);
    java.util.Random random = new java.util.Random(17);
    for (int round = 0; round < 10; round++) {
      ReplicaJournal replica = standbyRuntime.journals().openReplica(journal("standby"));
      AeronJournalSource source =
          AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings);
      long target = primaryJournal.lastSequence() + 5_000;
      append(primaryJournal, 1, 5_000);
      long stopAt = target - 4_000 + random.nextInt(3_900);
      await().atMost(WAIT).until(() -> source.receivedSequence() >= stopAt);
      source.close(); // the standby stops mid-stream while the primary goes on
      replica.close();
      append(primaryJournal, 1, 3_000);
    }
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    await().atMost(WAIT).until(() -> source.receivedSequence() == primaryJournal.lastSequence());
    assertThat(records(replica)).isEqualTo(records(primaryJournal));
    eventsDelivered();
    assertThat(standbyEvents.withCode("REPLICATION_RECORD_REFUSED")).isEmpty();
    assertThat(primaryEvents.withCode("REPLICATION_STANDBY_CONNECTED")).hasSize(11);
  }

  @Test
  void withOneDatagramInTenLostEveryRecordArrivesOnceAndTheLagRecovers() throws Exception {
    standbyMedia.close();
    standbyMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 20).directory(dir.resolve("lossy")).build(),
            context ->
                context.receiveChannelEndpointSupplier(
                    (channel, dispatcher, status, ctx) ->
                        new DebugReceiveChannelEndpoint(
                            channel,
                            dispatcher,
                            status,
                            ctx,
                            new RandomLossGenerator(0.1, 7), // drops incoming data frames
                            (address, buffer, length) -> false)));
    ReplicationSettings settings = udp().build();
    JournalPublisher publisher = publisher(settings);
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    append(primaryJournal, 1, 20_000);

    await().atMost(WAIT).until(() -> source.receivedSequence() == 20_000);
    await().atMost(WAIT).until(() -> publisher.lag() == 0);
    assertThat(records(replica)).isEqualTo(records(primaryJournal));
    long naks =
        standbyMedia
            .aeron()
            .countersReader()
            .getCounterValue(SystemCounterDescriptor.NAK_MESSAGES_SENT.id());
    assertThat(naks).as("the loss was real: the standby asked for lost data again").isPositive();
    eventsDelivered();
    assertThat(standbyEvents.withCode("REPLICATION_RECORD_REFUSED")).isEmpty();
  }

  @Test
  void semiSyncAcknowledgesOnlyWhatAStandbyJournaledAndDegradesOnTimeout() throws Exception {
    ReplicationSettings settings =
        udp().ack(AckPolicy.SEMI_SYNC).confirmTimeout(Duration.ofSeconds(1)).build();
    JournalPublisher publisher = publisher(settings);
    Journal replicated = publisher.journal();

    // no standby yet: nothing is acknowledged until the timeout degrades to local durability
    long first = replicated.append(1, payload(1));
    assertThat(replicated.durableSequence()).isZero();
    await().atMost(WAIT).until(publisher::timedOut);
    assertThat(replicated.durableSequence()).isEqualTo(first);
    eventsDelivered();
    assertThat(primaryEvents.withCode("REPLICATION_CONFIRM_TIMEOUT"))
        .singleElement()
        .satisfies(r -> assertThat(r.message()).contains("acknowledging on local durability"));

    // a standby arrives, catches up from sequence 1: SEMI_SYNC again
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    await().atMost(WAIT).until(() -> !publisher.timedOut());
    eventsDelivered();
    assertThat(primaryEvents.withCode("REPLICATION_SEMI_SYNC_RESTORED")).hasSize(1);
    for (int i = 0; i < 1_000; i++) {
      long sequence = replicated.append(1, payload(i + 2));
      assertThat(publisher.awaitConfirmed(sequence, WAIT)).isTrue();
      // acknowledged only once the standby has it in its journal
      assertThat(replicated.durableSequence()).isGreaterThanOrEqualTo(sequence);
      assertThat(replica.lastSequence()).isGreaterThanOrEqualTo(sequence);
    }
    assertThat(source.receivedSequence()).isEqualTo(1_001);
  }

  @Test
  void theStandbysAppliedPositionAndCheckpointsReachThePrimarysAuditor() throws Exception {
    ReplicationSettings settings = udp().build();
    JournalPublisher publisher = publisher(settings);
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    DigestBook standbyBook = new DigestBook();
    standbyBook.corruptAt = 10_500; // a faulty standby: one stored value differs
    Follower follower =
        keep(
            standbyRuntime
                .standby()
                .follow(
                    FollowerSettings.builder("standby", dir.resolve("follower"))
                        .checkpointEvery(1_000)
                        .build(),
                    source,
                    standbyBook));
    source.reportFrom(follower);

    // the primary applies the same records to its own state and checkpoints at the same places
    DigestBook primaryBook = new DigestBook();
    for (long sequence = 1; sequence <= 12_000; sequence++) {
      byte[] payload = payload(sequence);
      primaryJournal.append(1, payload);
      primaryBook.apply(sequence, 1, ByteBuffer.wrap(payload));
      if (sequence % 1_000 == 0) {
        primaryRuntime
            .consistency()
            .auditor()
            .primary(Checkpoint.of("primary", sequence, 1, primaryBook.digest()));
      }
    }

    var auditor = primaryRuntime.consistency().auditor();
    await().atMost(WAIT).until(() -> auditor.firstMismatchSequence().isPresent());
    assertThat(auditor.lastMatchedSequence()).hasValue(10_000);
    assertThat(auditor.firstMismatchSequence()).hasValue(11_000);
    await().atMost(WAIT).until(() -> publisher.remoteApplied() == 12_000);
    assertThat(publisher.remoteLag()).isZero();
    assertThat(
            primaryRuntime
                .meterRegistry()
                .get("stability.standby.applied.sequence")
                .gauge()
                .value())
        .isEqualTo(12_000);
    eventsDelivered();
    assertThat(primaryEvents.withCode("CONSISTENCY_MISMATCH")).hasSize(1);
    assertThat(primaryEvents.withCode("CONSISTENCY_MATCHED")).isNotEmpty();
  }

  @Test
  void aPublisherThatStopsOnAnErrorIsReportedAndSemiSyncActsAsTimedOut() throws Exception {
    ReplicationSettings settings =
        udp().ack(AckPolicy.SEMI_SYNC).confirmTimeout(Duration.ofSeconds(30)).build();
    JournalPublisher publisher = publisher(settings);
    source(replica(), settings);
    Journal replicated = publisher.journal();
    replicated.append(1, payload(1));
    await().atMost(WAIT).until(() -> publisher.confirmedSequence() == 1);

    // larger than one replication message (an eighth of the 1 MiB term): the publisher stops
    long big = replicated.append(1, new byte[200_000]);
    await().atMost(WAIT).until(() -> publisher.failure() != null);
    assertThat(publisher.failure()).contains("raise AeronMediaSettings.termLength");
    assertThat(publisher.timedOut()).isTrue();
    assertThat(replicated.durableSequence()).isEqualTo(big); // DEGRADE: local durability
    eventsDelivered();
    assertThat(primaryEvents.withCode("REPLICATION_STOPPED"))
        .singleElement()
        .satisfies(r -> assertThat(r.message()).contains("acts as timed out (DEGRADE)"));
  }

  @Test
  void aStandbyWithAnotherHistoryIsNotServedAndItsConfirmationsDoNotCount() throws Exception {
    ReplicationSettings settings =
        udp().ack(AckPolicy.SEMI_SYNC).confirmTimeout(Duration.ofSeconds(30)).build();
    JournalPublisher first =
        JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings);
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    append(primaryJournal, 1, 10);
    await().atMost(WAIT).until(() -> source.receivedSequence() == 10);
    first.close();

    // A primary with a different journal (a new directory, a lost tail): same sequences, other
    // records. Serving the standby would splice the two; counting its confirmations would
    // acknowledge records it does not hold.
    Journal other = primaryRuntime.journals().open(journal("other"));
    for (long sequence = 1; sequence <= 20; sequence++) {
      other.append(1, payload(sequence + 1_000));
    }
    JournalPublisher second =
        keep(JournalPublisher.start(primaryRuntime, other, primaryMedia, settings));
    await()
        .atMost(WAIT)
        .until(
            () ->
                primaryEvents.withCode("REPLICATION_RECORD_REFUSED").stream()
                    .anyMatch(r -> "divergence".equals(r.attrs().get("reason"))));
    Thread.sleep(300); // time for confirmations that must not count
    assertThat(second.confirmedSequence()).isZero();
    assertThat(second.journal().durableSequence()).isZero();
    assertThat(replica.lastSequence()).isEqualTo(10);
    LogRecord divergence =
        primaryEvents.withCode("REPLICATION_RECORD_REFUSED").stream()
            .filter(r -> "divergence".equals(r.attrs().get("reason")))
            .findFirst()
            .orElseThrow();
    assertThat(divergence.message()).contains("its record 10 is not this journal's record 10");
  }

  @Test
  void semiSyncWithRefuseRefusesInputWhenNoStandbyConfirms() {
    ReplicationSettings settings =
        udp()
            .ack(AckPolicy.SEMI_SYNC)
            .confirmTimeout(Duration.ofMillis(100))
            .onConfirmTimeout(ConfirmTimeoutAction.REFUSE)
            .build();
    JournalPublisher publisher = publisher(settings);
    Journal replicated = publisher.journal();
    replicated.append(1, payload(1));
    await().atMost(WAIT).until(publisher::timedOut);

    assertThatThrownBy(() -> replicated.append(1, payload(2)))
        .isInstanceOf(ReplicationUnavailableException.class)
        .hasMessageContaining("replication orders: no standby confirmed past sequence 0")
        .hasMessageContaining("input is refused");
    assertThat(primaryJournal.lastSequence()).isEqualTo(1); // nothing written
    assertThat(replicated.durableSequence()).isZero(); // nothing acknowledged

    ReplicaJournal replica = replica();
    source(replica, settings);
    await().atMost(WAIT).until(() -> !publisher.timedOut());
    assertThat(replicated.append(1, payload(2))).isEqualTo(2);
  }

  @Test
  void aReplacedPrimaryStillSendingIsIgnoredAndReported() throws Exception {
    ReplicationSettings settings = udp().build();
    ReplicaJournal replica = replica();
    append(primaryJournal, 1, 10);
    AeronJournalSource source = source(replica, settings);
    publisher(settings);
    await().atMost(WAIT).until(() -> source.receivedSequence() == 10);

    replica.fence(2); // the standby was promoted; the old primary does not know yet
    append(primaryJournal, 1, 10);
    await().atMost(WAIT).until(() -> !standbyEvents.withCode("REPLICATION_STALE_EPOCH").isEmpty());
    assertThat(replica.lastSequence()).isEqualTo(10);
    eventsDelivered();
    LogRecord stale = standbyEvents.withCode("REPLICATION_STALE_EPOCH").get(0);
    assertThat(stale.message()).contains("epoch 1").contains("local journal is at epoch 2");
  }

  @Test
  void aCorruptedOrOutOfSequenceRecordIsRefusedReportedAndFetchedAgain() throws Exception {
    ReplicationSettings settings = udp().build();
    ReplicaJournal replica = replica();
    AeronJournalSource source = source(replica, settings);
    // A second sender on the data channel forges records the standby must not take.
    ExclusivePublication forger =
        keep(
            primaryMedia
                .aeron()
                .addExclusivePublication(settings.dataChannel(), settings.dataStream()));
    await().atMost(WAIT).until(forger::isConnected);
    UnsafeBuffer bad = forged(1, 1, true);
    await().atMost(WAIT).until(() -> forger.offer(bad, 0, bad.capacity()) > 0);
    UnsafeBuffer ahead = forged(7, 1, false);
    await().atMost(WAIT).until(() -> forger.offer(ahead, 0, ahead.capacity()) > 0);
    await()
        .atMost(WAIT)
        .until(() -> standbyEvents.withCode("REPLICATION_RECORD_REFUSED").size() >= 1);
    assertThat(replica.lastSequence()).isZero();

    append(primaryJournal, 1, 20);
    publisher(settings);
    await().atMost(WAIT).until(() -> source.receivedSequence() == 20);
    assertThat(records(replica)).isEqualTo(records(primaryJournal));
    eventsDelivered();
    assertThat(standbyEvents.withCode("REPLICATION_RECORD_REFUSED"))
        .extracting(r -> r.attrs().get("reason"))
        .contains("checksum");
    assertThat(
            standbyRuntime
                .meterRegistry()
                .get("stability.replication.refused")
                .tag("reason", "checksum")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
  }

  /** A RECORD message for {@code sequence}; with {@code corrupt}, one payload byte flipped. */
  private static UnsafeBuffer forged(long sequence, long epoch, boolean corrupt) {
    ByteBuffer frame = ByteBuffer.allocate(JournalFrames.size(JournalFrames.HEADER + 100));
    JournalFrames.write(
        new CRC32C(), frame, sequence, epoch, 42, ByteBuffer.wrap(payload(sequence)));
    byte[] bytes = new byte[Wire.FRAMES + frame.capacity()];
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    buffer.putInt(Wire.TYPE, Wire.RECORD);
    buffer.putBytes(Wire.FRAMES, frame.array());
    if (corrupt) {
      // after the CRC was computed: corrupted before sending
      bytes[Wire.FRAMES + JournalFrames.HEADER + 50] ^= 0x10;
    }
    return buffer;
  }
}
