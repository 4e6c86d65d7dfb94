package dev.stability.core.journal;

import static dev.stability.core.journal.JournalTest.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a failover, {@code reconcile} names exactly the records only the former primary's journal
 * holds: the ones an ASYNC failover lost.
 */
class JournalReconciliationTest {

  @TempDir Path dir;

  private final CapturingSink events = new CapturingSink();
  private final StabilityRuntime runtime =
      TestRuntimes.quiet("reconcile").eventSink(events).build();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  /**
   * A former primary that appended {@code formerRecords} at epoch 1 and a standby that received the
   * first {@code received}, took over at epoch 2 and appended {@code afterTakeover} of its own.
   */
  static void failover(
      Journals journals, Path former, Path promoted, int formerRecords, int received, int after) {
    try (Journal primary = journals.open(settings(former));
        ReplicaJournal standby = journals.openReplica(settings(promoted))) {
      for (int i = 1; i <= formerRecords; i++) {
        primary.append(1, payload(i, recordSize(i)));
      }
      try (JournalReader reader = primary.reader(1)) {
        reader.poll(standby::appendReplica, received);
      }
      standby.fence(2);
      for (int i = 1; i <= after; i++) {
        standby.append(2, payload(-i, 50));
      }
    }
  }

  static int recordSize(int sequence) {
    return 100 + sequence % 1000;
  }

  static JournalSettings settings(Path directory) {
    return JournalSettings.builder(directory.getFileName().toString(), directory)
        .segmentSize(1 << 20) // the smallest: 2,000 records cross a roll on both sides
        .flush(FlushPolicy.os())
        .build();
  }

  @Test
  void namesExactlyTheRecordsThatNeverReachedTheStandby() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 2_000, 1_500, 300);

    JournalReconciliation result = runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

    assertThat(result.commonThrough()).isEqualTo(1_500);
    assertThat(result.lostFrom()).isEqualTo(1_501);
    assertThat(result.lostTo()).isEqualTo(2_000);
    assertThat(result.lost()).isEqualTo(500);
    assertThat(result.formerLast()).isEqualTo(2_000);
    assertThat(result.promotedLast()).isEqualTo(1_800);
    assertThat(result.consistent()).isTrue();
    // the lost records can be read from the former primary's journal, from lostFrom on
    List<byte[]> lost = new ArrayList<>();
    try (JournalReader reader = runtime.journals().reader(dir.resolve("a"), result.lostFrom())) {
      reader.poll(
          (s, e, t, p) -> {
            byte[] copy = new byte[p.remaining()];
            p.get(copy);
            lost.add(copy);
          },
          1_000);
    }
    assertThat(lost).hasSize(500);
    assertThat(lost.get(0)).isEqualTo(payload(1_501, recordSize(1_501)));

    LogRecord event = reported();
    assertThat(event.level()).isEqualTo(Level.WARN);
    assertThat(event.message()).contains("1501..2000").contains("common through 1500");
  }

  @Test
  void aStandbyThatHadEverythingLostNothing() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 700, 700, 10);

    JournalReconciliation result = runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

    assertThat(result.lost()).isZero();
    assertThat(result.lostFrom()).isZero();
    assertThat(result.commonThrough()).isEqualTo(700);
    assertThat(result.promotedLast()).isEqualTo(710);
    assertThat(result.consistent()).isTrue();
    assertThat(reported().level()).isEqualTo(Level.INFO);
  }

  @Test
  void aStandbyThatHasNotWrittenYetStillNamesTheLostTail() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 400, 250, 0);

    JournalReconciliation result = runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

    assertThat(result.lostFrom()).isEqualTo(251);
    assertThat(result.lostTo()).isEqualTo(400);
    assertThat(result.promotedLast()).isEqualTo(250);
  }

  @Test
  void journalsThatDifferWithinOneEpochAreNotAFailoverAndSaySo() throws InterruptedException {
    try (Journal a = runtime.journals().open(settings(dir.resolve("a")));
        ReplicaJournal b = runtime.journals().openReplica(settings(dir.resolve("b")))) {
      for (int i = 1; i <= 100; i++) {
        a.append(1, payload(i, 40));
      }
      try (JournalReader reader = a.reader(1)) {
        reader.poll(b::appendReplica, 59);
      }
      for (int i = 60; i <= 100; i++) {
        b.append(1, payload(-i, 40)); // not fenced: the same epoch goes on differently
      }
    }

    JournalReconciliation result = runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

    assertThat(result.commonThrough()).isEqualTo(59);
    assertThat(result.consistent()).isFalse();
    assertThat(result.problem().orElseThrow())
        .contains("differ at sequence 60 within epoch 1")
        .contains("not a failover");
    assertThat(reported().level()).isEqualTo(Level.ERROR);
  }

  @Test
  void directoriesGivenTheWrongWayRoundAreNamed() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 300, 200, 50);

    JournalReconciliation result = runtime.journals().reconcile(dir.resolve("b"), dir.resolve("a"));

    assertThat(result.consistent()).isFalse();
    assertThat(result.problem().orElseThrow()).contains("wrong way round");
  }

  @Test
  void aDirectoryWithoutAJournalIsRefusedNamingIt() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 10, 10, 0);
    Path missing = dir.resolve("nowhere");

    assertThatThrownBy(() -> runtime.journals().reconcile(missing, dir.resolve("b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no journal in " + missing);
  }

  @Test
  void theNewPrimaryMayStillBeWritingWhileItIsCompared() throws InterruptedException {
    failover(runtime.journals(), dir.resolve("a"), dir.resolve("b"), 100, 80, 0);
    try (Journal promoted = runtime.journals().open(settings(dir.resolve("b")))) {
      promoted.append(2, ByteBuffer.wrap(payload(-5, 30)));

      JournalReconciliation result =
          runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

      assertThat(result.lostFrom()).isEqualTo(81);
      assertThat(result.lostTo()).isEqualTo(100);
      assertThat(result.promotedLast()).isEqualTo(81);
    }
  }

  private LogRecord reported() throws InterruptedException {
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    List<LogRecord> reconciled = events.withCode("JOURNAL_RECONCILED");
    assertThat(reconciled).hasSize(1);
    return reconciled.get(0);
  }
}
