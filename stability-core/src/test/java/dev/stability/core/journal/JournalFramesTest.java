package dev.stability.core.journal;

import static dev.stability.core.journal.JournalTest.payload;
import static dev.stability.core.journal.JournalTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFramesTest {

  @TempDir Path dir;

  private final StabilityRuntime runtime = TestRuntimes.quiet("frames").build();
  private final Journals journals = runtime.journals();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private JournalSettings settings(String name) {
    return JournalSettings.builder(name, dir.resolve(name))
        .segmentSize(1 << 20)
        .flush(FlushPolicy.os())
        .build();
  }

  /** Every record of {@code journal} from 1 as frames, in batches of about {@code batch} bytes. */
  private static ByteBuffer frames(Journal journal, int batch) {
    ByteBuffer all = ByteBuffer.allocate(4 << 20);
    try (JournalFrameReader reader = (JournalFrameReader) journal.reader(1)) {
      ByteBuffer target = ByteBuffer.allocate(batch + 4096);
      while (reader.pollFrames(target.clear(), batch) > 0) {
        all.put(target.flip());
      }
    }
    return all.flip();
  }

  @Test
  void framesCopiedIntoAReplicaMakeTheSameJournalAcrossSegmentRolls() {
    try (Journal primary = journals.open(settings("primary"));
        ReplicaJournal replica = journals.openReplica(settings("replica"))) {
      for (int i = 1; i <= 3000; i++) { // over 1 MiB: the segments roll on both sides
        primary.append(i < 2000 ? 1 : 2, payload(i, i % 700));
      }
      ByteBuffer frames = frames(primary, 1400);
      while (frames.hasRemaining()) {
        replica.appendFrame(frames.slice());
        int length = frames.order(ByteOrder.LITTLE_ENDIAN).getInt(frames.position());
        frames.position(frames.position() + JournalFrames.size(length));
      }
      assertThat(replica.lastSequence()).isEqualTo(3000);
      assertThat(replica.epoch()).isEqualTo(2);
      assertThat(readAll(replica.reader(1))).hasSize(3000); // every record reads back, checked
      assertThat(frames(replica, 1400)).isEqualTo(frames(primary, 1400)); // byte for byte
    }
  }

  @Test
  void theFrameChecksumIsTheOneTheJournalStores() {
    try (Journal journal = journals.open(settings("primary"))) {
      for (int i = 1; i <= 20; i++) {
        journal.append(3, payload(i, i * 7));
      }
      ByteBuffer frames = frames(journal, 1 << 20);
      CRC32C crc = new CRC32C();
      ByteBuffer framed = ByteBuffer.allocate(frames.capacity());
      try (JournalReader reader = journal.reader(1)) {
        while (reader.poll(
                (s, e, t, p) -> {
                  int at = framed.position();
                  JournalFrames.write(crc, framed, s, e, t, p);
                  int stored = frames.order(ByteOrder.LITTLE_ENDIAN).getInt(at + JournalFrames.CRC);
                  assertThat(JournalFrames.checksum(crc, s, e, t, p)).isEqualTo(stored);
                  assertThat(JournalFrames.checksum(crc, frames, at, frames.getInt(at)))
                      .isEqualTo(stored);
                },
                100)
            > 0) {
          // every record
        }
      }
      assertThat(framed.flip()).isEqualTo(frames);
    }
  }

  @Test
  void aBadFrameIsRefusedWithTheReasonAndNothingIsWritten() throws Exception {
    try (Journal primary = journals.open(settings("primary"));
        ReplicaJournal replica = journals.openReplica(settings("replica"))) {
      for (int i = 1; i <= 3; i++) {
        primary.append(2, payload(i, 100));
      }
      ByteBuffer frames = frames(primary, 1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      int size = JournalFrames.size(JournalFrames.HEADER + 100);
      ByteBuffer first = frames.slice(0, size);
      replica.appendFrame(first);

      ByteBuffer corrupt = copy(frames.slice(size, size));
      corrupt.put(JournalFrames.HEADER + 50, (byte) (corrupt.get(JournalFrames.HEADER + 50) ^ 1));
      assertThatThrownBy(() -> replica.appendFrame(corrupt))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("record 2 failed its CRC32C check")
          .hasMessageContaining("nothing was written");
      assertThatThrownBy(() -> replica.appendFrame(frames.slice(size, 20)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shorter than a record header");
      assertThatThrownBy(() -> replica.appendFrame(frames.slice(size, size - 8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("says length 132 but has only 128 bytes");
      assertThatThrownBy(() -> replica.appendFrame(frames.slice(2 * size, size)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("replica record 3 is not the next one (2): a gap of 1");
      assertThatThrownBy(() -> replica.appendFrame(first)).hasMessageContaining("a duplicate");
      assertThat(replica.lastSequence()).isEqualTo(1);

      replica.fence(3); // promoted elsewhere: the old primary's epoch 2 is stale
      assertThatThrownBy(() -> replica.appendFrame(frames.slice(size, size)))
          .isInstanceOf(EpochFencedException.class);
      assertThat(replica.lastSequence()).isEqualTo(1);
    }
    // nothing refused left a byte behind: the journal reopens clean, at sequence 1
    try (ReplicaJournal reopened = journals.openReplica(settings("replica"))) {
      assertThat(reopened.lastSequence()).isEqualTo(1);
      assertThat(reopened.append(3, payload(2, 10))).isEqualTo(2);
    }
    try (var files = Files.list(dir.resolve("replica"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("corrupt"));
    }
  }

  @Test
  void aFrameTooLargeForTheTargetIsLeftForTheCallerAndItsSizeSaid() {
    try (Journal journal = journals.open(settings("primary"))) {
      journal.append(1, payload(1, 10));
      journal.append(1, payload(2, 5000));
      try (JournalFrameReader reader = (JournalFrameReader) journal.reader(1)) {
        ByteBuffer target = ByteBuffer.allocate(1000);
        assertThat(reader.pollFrames(target, 1000)).isEqualTo(1);
        assertThat(reader.nextFrameSize()).isEqualTo(JournalFrames.size(32 + 5000));
        assertThat(reader.pollFrames(target, 1000)).isZero();
        assertThat(reader.nextSequence()).isEqualTo(2);
        assertThat(reader.pollFrames(ByteBuffer.allocate(8192), 8192)).isEqualTo(1);
        assertThat(reader.nextFrameSize()).isZero();
      }
    }
  }

  private static ByteBuffer copy(ByteBuffer source) {
    ByteBuffer copy = ByteBuffer.allocate(source.remaining());
    copy.put(source.duplicate()).flip();
    return copy;
  }
}
