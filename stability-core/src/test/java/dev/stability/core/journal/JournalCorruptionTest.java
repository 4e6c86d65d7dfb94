package dev.stability.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalCorruptedException;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.internal.FileJournal;
import dev.stability.core.journal.internal.JournalListener;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flip one random byte anywhere in a copy of a journal segment, 300 seeded times: the corruption is
 * always found (by recovery when the journal is opened, or by a reader's checks), and no record
 * that differs from what was written is ever delivered.
 */
class JournalCorruptionTest {

  @TempDir Path dir;

  private final StabilityRuntime runtime = TestRuntimes.quiet("corruption").build();
  private final Journals journals = runtime.journals();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void everyFlippedByteIsDetectedAndNoneIsReadAsData() throws Exception {
    Path original = dir.resolve("original");
    int records = 200;
    try (Journal journal =
        journals.open(JournalSettings.builder("j", original).segmentSize(1 << 20).build())) {
      for (int i = 1; i <= records; i++) {
        journal.append(1, JournalTest.payload(i, 1 + i * 7 % 250));
      }
    }
    Path segment;
    try (Stream<Path> files = Files.list(original)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    long dataEnd = dataEnd(original);
    Random random = new Random(20261130);
    int detectedByReader = 0;
    int detectedByRecovery = 0;
    for (int round = 0; round < 300; round++) {
      Path copy = dir.resolve("copy-" + round);
      copyDirectory(original, copy);
      // Half the flips inside the written records, half anywhere in the file.
      long offset = round % 2 == 0 ? random.nextInt((int) dataEnd) : random.nextInt(1 << 20);
      int flip = 1 + random.nextInt(255);
      try (RandomAccessFile file =
          new RandomAccessFile(copy.resolve(segment.getFileName()).toFile(), "rw")) {
        file.seek(offset);
        int b = file.read();
        file.seek(offset);
        file.write(b ^ flip);
      }

      boolean readerFound = false;
      List<Long> delivered = new ArrayList<>();
      try (JournalReader reader = journals.reader(copy, 1)) {
        readerFound = readAll(reader, delivered);
      } catch (JournalCorruptedException e) {
        readerFound = true;
      } catch (IllegalArgumentException e) {
        readerFound = true; // the segment was set aside at open: the sequence is gone
      }

      Path second = dir.resolve("second-" + round);
      copyDirectory(copy, second);
      List<String> reported = new ArrayList<>();
      JournalListener recording =
          new JournalListener() {
            @Override
            public void corrupted(String seg, long at, String problem, String savedTo) {
              reported.add(problem + " at " + at);
            }
          };
      long recovered;
      try (FileJournal reopened =
          new FileJournal(
              JournalSettings.builder("j", second)
                  .segmentSize(1 << 20)
                  .flush(FlushPolicy.os())
                  .build(),
              Clock.systemUTC(),
              recording)) {
        recovered = reopened.lastSequence();
        List<Long> after = new ArrayList<>();
        if (recovered > 0) {
          readAll(reopened.reader(1), after);
        }
        assertThat(after).hasSize((int) recovered);
      }
      if (readerFound) {
        detectedByReader++;
      }
      if (!reported.isEmpty()) {
        detectedByRecovery++;
      }
      assertThat(readerFound || !reported.isEmpty())
          .as("flip of byte %d by %02x detected", offset, flip)
          .isTrue();
      assertThat(recovered)
          .as("recovery keeps only records before the damage")
          .isLessThanOrEqualTo(records);
      deleteDirectory(copy);
      deleteDirectory(second);
    }
    assertThat(detectedByRecovery).isEqualTo(300);
    assertThat(detectedByReader).isPositive();
  }

  /**
   * Reads every record, checking each delivered payload against what was written; returns whether
   * the reader stopped short of the end (a damaged length reads as "nothing written yet").
   */
  private static boolean readAll(JournalReader reader, List<Long> delivered) {
    while (reader.poll(
            (seq, epoch, ts, payload) -> {
              byte[] bytes = new byte[payload.remaining()];
              payload.get(bytes);
              assertThat(bytes)
                  .as("record %d delivered as written", seq)
                  .isEqualTo(JournalTest.payload(seq, (int) (1 + seq * 7 % 250)));
              delivered.add(seq);
            },
            1000)
        > 0) {
      // keep reading
    }
    return delivered.size() < 200;
  }

  private static long dataEnd(Path journal) {
    long total = 64;
    for (int i = 1; i <= 200; i++) {
      total += (32 + 1 + i * 7 % 250 + 7) & ~7;
    }
    return total;
  }

  private static void copyDirectory(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static void deleteDirectory(Path path) throws Exception {
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
