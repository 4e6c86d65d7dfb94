package dev.stability.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.api.event.LogRecord;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary whose media records into an Aeron Archive: standbys that come back behind are caught up
 * by a replay from the archive, merged into the live stream by sequence; one further behind than
 * the archive keeps is caught up from the journal, and the event says why. Two runtimes, two
 * embedded drivers, UDP on loopback.
 */
class ArchiveCatchUpTest {

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

  private void start(AeronMediaSettings.Builder archived) {
    primaryRuntime = TestRuntimes.quiet("primary").eventSink(primaryEvents).build();
    standbyRuntime = TestRuntimes.quiet("standby").eventSink(standbyEvents).build();
    primaryMedia =
        AeronMedia.start(archived.directory(dir.resolve("a")).archive(dir.resolve("rec")).build());
    standbyMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 16).directory(dir.resolve("b")).build());
    primaryJournal = primaryRuntime.journals().open(journal("primary"));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (standbyMedia != null) {
      standbyMedia.close();
      primaryMedia.close();
      standbyRuntime.close();
      primaryRuntime.close();
    }
  }

  private JournalSettings journal(String name) {
    return JournalSettings.builder(name, dir.resolve(name))
        .segmentSize(8 << 20)
        .flush(FlushPolicy.os())
        .build();
  }

  private ReplicationSettings settings() {
    return ReplicationSettings.builder("orders")
        .udp(Loopback.freeEndpoint(), Loopback.freeEndpoint())
        .heartbeat(Duration.ofMillis(20))
        .build();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  private void append(int count) {
    for (int i = 0; i < count; i++) {
      long next = primaryJournal.lastSequence() + 1;
      byte[] bytes = new byte[100];
      for (int b = 0; b < bytes.length; b++) {
        bytes[b] = (byte) (next * 31 + b);
      }
      primaryJournal.append(1, bytes);
    }
  }

  private static List<String> records(Journal journal) {
    List<String> out = new ArrayList<>();
    try (JournalReader reader = journal.reader(1)) {
      while (reader.poll(
              (seq, epoch, ts, p) -> {
                byte[] copy = new byte[p.remaining()];
                p.get(copy);
                out.add(seq + "/" + epoch + "/" + ts + "/" + Arrays.hashCode(copy));
              },
              10_000)
          > 0) {
        // until the end
      }
    }
    return out;
  }

  private List<LogRecord> catchUps(String source) throws InterruptedException {
    assertThat(primaryRuntime.events().awaitDelivery(WAIT)).isTrue();
    return primaryEvents.withCode("REPLICATION_CATCH_UP").stream()
        .filter(r -> source.equals(String.valueOf(r.attrs().get("source"))))
        .toList();
  }

  @Test
  void aStandbyThatRestartsBehindIsReplayedFromTheArchiveWithNoGapAndNoDuplicate()
      throws Exception {
    start(AeronMediaSettings.lowCpu().termLength(1 << 20));
    ReplicationSettings settings = settings();
    keep(JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings));
    Random random = new Random(23);
    long replayedInAll = 0;
    for (int round = 0; round < 10; round++) {
      ReplicaJournal replica = standbyRuntime.journals().openReplica(journal("standby"));
      AeronJournalSource source =
          AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings);
      long target = primaryJournal.lastSequence() + 5_000;
      append(5_000);
      long stopAt = target - 4_000 + random.nextInt(3_900);
      await().atMost(WAIT).until(() -> source.receivedSequence() >= stopAt);
      source.close(); // the standby stops mid-stream while the primary goes on
      replayedInAll += source.replayedRecords();
      replica.close();
      append(3_000);
    }
    ReplicaJournal replica = keep(standbyRuntime.journals().openReplica(journal("standby")));
    AeronJournalSource source =
        keep(AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings));
    await().atMost(WAIT).until(() -> source.receivedSequence() == primaryJournal.lastSequence());

    assertThat(records(replica)).isEqualTo(records(primaryJournal));
    assertThat(replayedInAll + source.replayedRecords())
        .as("records came from the archive's replays, not only from the live stream")
        .isGreaterThan(10 * 3_000L);
    assertThat(catchUps("archive").stream().map(r -> r.attrs().get("standby")).distinct())
        .as("every restart behind was replayed (and the first start too if it came late)")
        .hasSizeGreaterThanOrEqualTo(10);
    assertThat(catchUps("journal")).as("the journal never had to resend").isEmpty();
    assertThat(standbyRuntime.events().awaitDelivery(WAIT)).isTrue();
    assertThat(standbyEvents.withCode("REPLICATION_RECORD_REFUSED")).isEmpty();
    assertThat(primaryEvents.withCode("REPLICATION_ARCHIVE_FAILED")).isEmpty();
  }

  @Test
  void aStandbyBehindWhatTheArchiveKeepsIsCaughtUpFromTheJournalAndTheEventSaysWhy()
      throws Exception {
    start(
        AeronMediaSettings.lowCpu()
            .termLength(1 << 16)
            .archiveSegmentLength(1 << 16)
            .archiveKeepBytes(1 << 17));
    ReplicationSettings settings = settings();
    keep(JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings));
    ReplicaJournal replica = standbyRuntime.journals().openReplica(journal("standby"));
    AeronJournalSource source =
        AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings);
    append(2_000);
    await().atMost(WAIT).until(() -> source.receivedSequence() == 2_000);
    source.close();
    replica.close();

    // the standby is away while about 3 MB go by: the archive keeps the last 128 KiB
    append(20_000);
    Path recording = dir.resolve("rec");
    await()
        .atMost(WAIT)
        .until(() -> segments(recording) <= 4); // older segments purged while it is away

    ReplicaJournal back = keep(standbyRuntime.journals().openReplica(journal("standby")));
    AeronJournalSource again =
        keep(AeronJournalSource.start(standbyRuntime, back, standbyMedia, settings));
    await().atMost(WAIT).until(() -> again.receivedSequence() == primaryJournal.lastSequence());

    assertThat(records(back)).isEqualTo(records(primaryJournal));
    // the first from its breakpoint; on a busy machine a stall mid-resend asks again from further
    // on
    assertThat(catchUps("journal"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(String.valueOf(r.attrs().get("reason"))).contains("purged"))
        .first()
        .satisfies(r -> assertThat(r.attrs()).containsEntry("from_sequence", "2001"));
    assertThat(catchUps("archive"))
        .as("the range the archive no longer holds was not replayed")
        .noneMatch(r -> "2001".equals(r.attrs().get("from_sequence")));
  }

  private static long segments(Path recording) throws Exception {
    try (Stream<Path> files = Files.list(recording)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".rec")).count();
    }
  }
}
