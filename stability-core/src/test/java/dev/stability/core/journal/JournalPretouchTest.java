package dev.stability.core.journal;

import static dev.stability.core.journal.JournalTest.payload;
import static dev.stability.core.journal.JournalTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.internal.FileJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretouch(true)}: a daemon thread takes the page faults of the segment's next pages ahead
 * of the appender, and never changes a record, even one written on the page it touches.
 */
class JournalPretouchTest {

  @TempDir Path dir;

  private final StabilityRuntime runtime = TestRuntimes.quiet("journal").build();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private static boolean pretoucherAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("stability-journal-pretouch-" + name) && t.isAlive());
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void touchesAMebibyteAheadOfTheAppenderAndFollowsItIntoTheNextSegment() throws Exception {
    FileJournal journal =
        (FileJournal)
            runtime
                .journals()
                .open(
                    JournalSettings.builder("ahead", dir.resolve("ahead"))
                        .segmentSize(2 << 20)
                        .flush(FlushPolicy.os())
                        .pretouch(true)
                        .build());
    assertThat(pretoucherAlive("ahead")).isTrue();
    // Before any record: the pages after the header's page, up to 1 MiB ahead.
    await("1 MiB ahead of an empty segment", () -> journal.pagesPretouched() >= 256);
    assertThat(journal.pagesPretouched()).isEqualTo(256);

    // 1.5 MiB of records: the pretoucher follows to the segment's end (2 MiB), no further. It may
    // skip pages the appender reached while it waited (their faults are taken already), so the
    // count is at most the segment's pages, and the offset reached is its end.
    for (long seq = 1; seq <= 1_500; seq++) {
      journal.append(1, payload(seq, 1_000));
    }
    await("the rest of the first segment", () -> journal.pretouchedTo() == 2 << 20);
    long firstSegment = journal.pagesPretouched();
    assertThat(firstSegment).isBetween(257L, 511L);
    Thread.sleep(20);
    assertThat(journal.pagesPretouched())
        .as("nothing past the segment's end")
        .isEqualTo(firstSegment);

    // Past the end of the segment: the next one is touched.
    for (long seq = 1_501; seq <= 2_500; seq++) {
      journal.append(1, payload(seq, 1_000));
    }
    await("pages of the second segment", () -> journal.pagesPretouched() > firstSegment);
    await("up to 1 MiB ahead in the second segment", () -> journal.pretouchedTo() < 2 << 20);
    journal.close();
    assertThat(pretoucherAlive("ahead")).as("the pretoucher ends with its journal").isFalse();
  }

  @Test
  void recordsWrittenWhileThePretoucherRunsAreReadBackIntactAcrossManyRolls() throws Exception {
    JournalSettings settings =
        JournalSettings.builder("intact", dir.resolve("intact"))
            .segmentSize(1 << 20)
            .flush(FlushPolicy.os())
            .pretouch(true)
            .build();
    int records = 60_000;
    try (Journal journal = runtime.journals().open(settings)) {
      for (long seq = 1; seq <= records; seq++) {
        // sizes from 1 to 300 bytes: records start and end at every offset within a page
        journal.append(1, payload(seq, 1 + (int) (seq * 7919 % 300)));
      }
    }
    try (Journal reopened = runtime.journals().open(settings);
        JournalReader reader = reopened.reader(1)) {
      List<JournalTest.Read> read = readAll(reader);
      assertThat(read).hasSize(records);
      for (JournalTest.Read r : read) {
        assertThat(r.payload())
            .as("record %d", r.sequence())
            .isEqualTo(payload(r.sequence(), 1 + (int) (r.sequence() * 7919 % 300)));
      }
      assertThat(reopened.lastSequence()).isEqualTo(records);
    }
  }

  @Test
  void withoutPretouchNoThreadIsStarted() {
    try (Journal journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("plain", dir.resolve("plain"))
                    .segmentSize(1 << 20)
                    .build())) {
      assertThat(pretoucherAlive("plain")).isFalse();
      assertThat(((FileJournal) journal).pagesPretouched()).isZero();
    }
  }
}
