package dev.stability.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir Path dir;

  private final StabilityRuntime runtime = TestRuntimes.quiet("journal").build();
  private final Journals journals = runtime.journals();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private JournalSettings.Builder settings() {
    return JournalSettings.builder("orders", dir.resolve("journal")).segmentSize(1 << 20);
  }

  /** A payload whose content follows from its sequence, so any record can be checked alone. */
  static byte[] payload(long sequence, int size) {
    byte[] bytes = new byte[size];
    Random random = new Random(sequence);
    random.nextBytes(bytes);
    return bytes;
  }

  record Read(long sequence, long epoch, long timestamp, byte[] payload) {}

  static List<Read> readAll(JournalReader reader) {
    List<Read> out = new ArrayList<>();
    while (reader.poll(
            (seq, epoch, ts, p) -> {
              byte[] copy = new byte[p.remaining()];
              p.get(copy);
              out.add(new Read(seq, epoch, ts, copy));
            },
            1000)
        > 0) {
      // keep polling
    }
    return out;
  }

  @Test
  void aReplicaKeepsThePrimarysSequenceEpochAndTimestampAndRefusesGapsDuplicatesAndOldEpochs()
      throws Exception {
    List<Read> primary;
    try (Journal source = journals.open(settings().build())) {
      for (int i = 1; i <= 50; i++) {
        source.append(i < 30 ? 1 : 2, payload(i, 10 + i));
      }
      try (JournalReader reader = source.reader(1)) {
        primary = readAll(reader);
      }
    }
    JournalSettings replicaSettings =
        JournalSettings.builder("replica", dir.resolve("replica")).segmentSize(1 << 20).build();
    try (ReplicaJournal replica = journals.openReplica(replicaSettings)) {
      for (Read read : primary) {
        replica.appendReplica(
            read.sequence(), read.epoch(), read.timestamp(), ByteBuffer.wrap(read.payload()));
      }
      ByteBuffer extra = ByteBuffer.wrap(payload(99, 5));
      assertThatThrownBy(() -> replica.appendReplica(50, 2, 0, extra))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("replica record 50 is not the next one (51): a duplicate");
      assertThatThrownBy(() -> replica.appendReplica(53, 2, 0, extra))
          .hasMessageContaining("a gap of 2");
      assertThatThrownBy(() -> replica.appendReplica(51, 1, 0, extra))
          .isInstanceOf(EpochFencedException.class);
      assertThat(replica.lastSequence()).isEqualTo(50);
      try (JournalReader reader = replica.reader(1)) {
        List<Read> copy = readAll(reader);
        assertThat(copy).hasSize(50);
        for (int i = 0; i < 50; i++) {
          assertThat(copy.get(i).sequence()).isEqualTo(primary.get(i).sequence());
          assertThat(copy.get(i).epoch()).isEqualTo(primary.get(i).epoch());
          assertThat(copy.get(i).timestamp()).isEqualTo(primary.get(i).timestamp());
          assertThat(copy.get(i).payload()).isEqualTo(primary.get(i).payload());
        }
      }
      // the epoch the primary's records raised is stored, not only held in memory
      assertThat(java.nio.file.Files.readString(dir.resolve("replica/epoch")).strip())
          .isEqualTo("2");
      // after promotion the replica continues the journal at the next sequence
      assertThat(replica.append(3, payload(51, 7))).isEqualTo(51);
    }
  }

  @Test
  void appendedRecordsReadBackInOrderWithTheirEpochAndIntactPayloads() {
    try (Journal journal = journals.open(settings().build())) {
      for (int i = 1; i <= 500; i++) {
        assertThat(journal.append(7, payload(i, i % 300))).isEqualTo(i);
      }
      assertThat(journal.lastSequence()).isEqualTo(500);
      assertThat(journal.durableSequence()).isEqualTo(500); // every record forced by default
      List<Read> read = readAll(journal.reader(1));
      assertThat(read).hasSize(500);
      for (Read r : read) {
        assertThat(r.payload()).isEqualTo(payload(r.sequence(), (int) (r.sequence() % 300)));
        assertThat(r.epoch()).isEqualTo(7);
        assertThat(r.timestamp()).isPositive();
      }
      List<Read> fromMiddle = readAll(journal.reader(250));
      assertThat(fromMiddle.get(0).sequence()).isEqualTo(250);
      assertThat(fromMiddle).hasSize(251);
    }
  }

  @Test
  void segmentsRollAndReadersCrossThem() throws Exception {
    try (Journal journal = journals.open(settings().flush(FlushPolicy.os()).build())) {
      for (int i = 1; i <= 100; i++) {
        journal.append(1, payload(i, 50_000));
      }
      try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
        assertThat(files.filter(f -> f.toString().endsWith(".seg")).count()).isGreaterThan(4);
      }
      List<Read> read = readAll(journal.reader(1));
      assertThat(read)
          .extracting(Read::sequence)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
      assertThat(readAll(journal.reader(77)).get(0).payload()).isEqualTo(payload(77, 50_000));
    }
  }

  @Test
  void aReopenedJournalContinuesItsSequenceAndKeepsItsEpochFence() {
    try (Journal journal = journals.open(settings().build())) {
      journal.append(1, payload(1, 10));
      journal.append(1, payload(2, 10));
      journal.fence(2);
      assertThatThrownBy(() -> journal.append(1, payload(3, 10)))
          .isInstanceOf(EpochFencedException.class)
          .hasMessage(
              "journal append refused: epoch 1 is older than the current epoch 2 (this primary was"
                  + " replaced; it must stop)");
      assertThat(journal.lastSequence()).as("the fenced append wrote nothing").isEqualTo(2);
    }
    try (Journal reopened = journals.open(settings().build())) {
      assertThat(reopened.lastSequence()).isEqualTo(2);
      assertThat(reopened.epoch()).isEqualTo(2);
      assertThatThrownBy(() -> reopened.append(1, payload(3, 10)))
          .isInstanceOf(EpochFencedException.class);
      assertThat(reopened.append(2, payload(3, 10))).isEqualTo(3);
      assertThatThrownBy(() -> reopened.fence(1))
          .hasMessage("journal orders: cannot fence back to epoch 1 from 2");
    }
  }

  @Test
  void batchPolicyMakesRecordsDurableEveryNRecordsOrInterval() throws Exception {
    // N records: with an interval of a minute, only the N-record signal can make them durable.
    try (Journal journal =
        journals.open(settings().flush(FlushPolicy.batch(10, Duration.ofSeconds(60))).build())) {
      for (int i = 1; i <= 25; i++) {
        journal.append(1, payload(i, 100));
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> journal.durableSequence() >= 20);
      assertThat(journal.sync()).isEqualTo(25);
    }
    // The interval: a batch that never fills still becomes durable.
    try (Journal journal =
        journals.open(
            settings().flush(FlushPolicy.batch(1_000_000, Duration.ofMillis(20))).build())) {
      long first = journal.lastSequence();
      for (int i = 1; i <= 5; i++) {
        journal.append(1, payload(i, 100));
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> journal.durableSequence() == first + 5);
    }
  }

  @Test
  void osPolicyCountsARecordDurableOnceAppended() {
    try (Journal journal = journals.open(settings().flush(FlushPolicy.os()).build())) {
      journal.append(1, payload(1, 100));
      assertThat(journal.durableSequence()).isEqualTo(1);
    }
  }

  @Test
  void aReaderTailsWhileTheWriterAppendsOnAnotherThread() throws Exception {
    int count = 200_000;
    try (Journal journal = journals.open(settings().flush(FlushPolicy.os()).build())) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long[] seen = new long[1];
      Thread tail =
          new Thread(
              () -> {
                try (JournalReader reader = journal.reader(1)) {
                  long deadline = System.nanoTime() + 30_000_000_000L;
                  while (seen[0] < count && System.nanoTime() < deadline) {
                    reader.poll(
                        (seq, epoch, ts, p) -> {
                          if (seq != seen[0] + 1
                              || p.remaining() != 100
                              || p.get(p.position()) != (byte) seq) {
                            throw new AssertionError("record " + seq + " out of order or damaged");
                          }
                          seen[0] = seq;
                        },
                        4096);
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      tail.start();
      byte[] bytes = new byte[100];
      for (int i = 1; i <= count; i++) {
        bytes[0] = (byte) i;
        journal.append(1, bytes);
      }
      tail.join();
      assertThat(failure.get()).isNull();
      assertThat(seen[0]).isEqualTo(count);
    }
  }

  @Test
  void badInputIsRefusedWithTheReason() {
    try (Journal journal = journals.open(settings().build())) {
      assertThatThrownBy(() -> journal.append(1, new byte[2 << 20]))
          .hasMessage(
              "journal orders: a payload of 2097152 bytes is larger than the 1048472 a segment of"
                  + " 1048576 bytes can hold");
      assertThatThrownBy(() -> journal.reader(0)).hasMessage("journal sequences start at 1, got 0");
      journal.append(1, payload(1, 10));
      assertThatThrownBy(() -> journal.reader(5))
          .hasMessage("sequence 5 is beyond the end of the journal (next is 2)");
    }
    assertThatThrownBy(() -> JournalSettings.builder("orders", dir).segmentSize(1000).build())
        .hasMessage("journal.orders.segment-size = 1000: must be between 1 MiB and 1 GiB");
    assertThatThrownBy(() -> FlushPolicy.batch(0, Duration.ofMillis(5)))
        .hasMessage("journal.flush.records = 0: must be 1..1000000");
  }

  @Test
  void aRuntimeJournalReportsEventsAndMetrics() throws Exception {
    CapturingSink sink = new CapturingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1").meterRegistry(registry).eventSink(sink).build()) {
      Journal journal = runtime.journals().open(settings().build());
      for (int i = 1; i <= 30; i++) {
        journal.append(1, payload(i, 60_000));
      }
      journal.fence(2);
      assertThatThrownBy(() -> journal.append(1, payload(31, 10)))
          .isInstanceOf(EpochFencedException.class);
      assertThat(
              registry
                  .get("stability.journal.appends")
                  .tag("journal", "orders")
                  .functionCounter()
                  .count())
          .isEqualTo(30);
      assertThat(registry.get("stability.journal.durable.sequence").gauge().value()).isEqualTo(30);
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.withCode("JOURNAL_OPENED")).hasSize(1);
      assertThat(sink.withCode("JOURNAL_SEGMENT_ROLLED")).isNotEmpty();
      assertThat(sink.withCode("JOURNAL_APPEND_FENCED").get(0).message())
          .contains("stamped with epoch 1 (current 2)");
    }
  }

  @Test
  void anInMemoryJournalHasTheSameContract() {
    Journal journal = journals.inMemory();
    journal.append(1, "a".getBytes(StandardCharsets.UTF_8));
    journal.append(1, ByteBuffer.wrap("b".getBytes(StandardCharsets.UTF_8)));
    journal.fence(3);
    assertThatThrownBy(() -> journal.append(2, new byte[1]))
        .isInstanceOf(EpochFencedException.class);
    List<Read> read = readAll(journal.reader(2));
    assertThat(read)
        .singleElement()
        .satisfies(r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("b"));
    assertThat(journal.durableSequence()).isEqualTo(2);
  }

  @Test
  void aSecondWriterOnTheSameDirectoryIsRefused() {
    try (Journal first = journals.open(settings().build())) {
      first.append(1, payload(1, 10));
      assertThatThrownBy(() -> journals.open(settings().build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageEndingWith(
              "is already open for writing (by this or another process); a standby reads it with"
                  + " runtime.journals().reader instead");
      assertThat(first.append(1, payload(2, 10))).isEqualTo(2);
    }
    try (Journal again = journals.open(settings().build())) {
      assertThat(again.lastSequence()).as("the lock goes with close").isEqualTo(2);
    }
  }

  @Test
  void anOpenThatFailsReleasesTheDirectorySoALaterOpenInTheSameProcessSucceeds() throws Exception {
    try (Journal journal = journals.open(settings().build())) {
      journal.append(1, payload(1, 10));
    }
    // A leftover of an unfinished segment that cannot be deleted (a directory with a file in it):
    // the open fails after it has locked the directory.
    Path obstacle = dir.resolve("journal").resolve("00000000000000000009.seg.new");
    Files.createDirectories(obstacle);
    Files.write(obstacle.resolve("x"), new byte[1]);
    assertThatThrownBy(() -> journals.open(settings().build()))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot be opened");
    Files.delete(obstacle.resolve("x"));
    try (Journal again = journals.open(settings().build())) {
      assertThat(again.lastSequence()).as("not refused as already open; nothing lost").isEqualTo(1);
    }
  }

  @Test
  void aRecordTornByACrashIsReportedAndNothingAfterItIsRead() throws Exception {
    Path journalDir = dir.resolve("journal");
    try (Journal journal = journals.open(settings().build())) {
      for (int i = 1; i <= 3; i++) {
        journal.append(1, payload(i, 100));
      }
    }
    // What a crash between writing a record's body and its length leaves: bytes, length 0.
    Path segment;
    try (Stream<Path> files = Files.list(journalDir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    long end = 64 + 3 * ((32 + 100 + 7) & ~7);
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(end + 8);
      file.write(new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
    }
    List<String> reported = new ArrayList<>();
    try (dev.stability.core.journal.internal.FileJournal reopened =
        new dev.stability.core.journal.internal.FileJournal(
            settings().build(),
            java.time.Clock.systemUTC(),
            new dev.stability.core.journal.internal.JournalListener() {
              @Override
              public void corrupted(String seg, long offset, String problem, String savedTo) {
                reported.add(problem + " @" + offset);
              }
            })) {
      assertThat(reported)
          .containsExactly(
              "a record was torn while being written (a crash): bytes follow an unwritten length @"
                  + end);
      assertThat(reopened.lastSequence()).isEqualTo(3);
      assertThat(readAll(reopened.reader(1))).hasSize(3);
      assertThat(reopened.append(1, payload(4, 100))).isEqualTo(4);
    }
  }

  @Test
  void segmentSizesMustBeWholePages() {
    assertThatThrownBy(
            () -> JournalSettings.builder("orders", dir).segmentSize((1 << 20) + 8).build())
        .hasMessage("journal.orders.segment-size = 1048584: must be a multiple of 4096 (a page)");
  }

  @Test
  void aMissingSegmentBetweenOthersStopsAReaderWithTheGapNamed() throws Exception {
    try (Journal journal = journals.open(settings().flush(FlushPolicy.os()).build())) {
      for (int i = 1; i <= 60; i++) {
        journal.append(1, payload(i, 50_000));
      }
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      segments = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
    assertThat(segments.size()).isGreaterThan(2);
    Files.delete(segments.get(1));
    List<Read> read = new ArrayList<>();
    try (JournalReader reader = journals.reader(dir.resolve("journal"), 1)) {
      assertThatThrownBy(
              () -> {
                while (reader.poll(
                        (seq, epoch, ts, p) -> read.add(new Read(seq, epoch, ts, new byte[0])), 100)
                    > 0) {
                  // read until the gap
                }
              })
          .isInstanceOf(dev.stability.api.journal.JournalCorruptedException.class)
          .hasMessageContaining("is missing while a later one");
    }
    assertThat(read).isNotEmpty().allSatisfy(r -> assertThat(r.sequence()).isLessThan(60));
  }
}
