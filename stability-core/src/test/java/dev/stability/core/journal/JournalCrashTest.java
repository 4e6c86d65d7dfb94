package dev.stability.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.journal.internal.FileJournal;
import dev.stability.core.journal.internal.JournalListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real child JVM while it appends, 20 times over the same journal: after each, every
 * record the child reported durable is there and intact, a torn record is reported, and nothing
 * after it is returned.
 */
class JournalCrashTest {

  @TempDir Path dir;

  @Test
  void everyRecordReportedDurableSurvivesAKillDashNine() throws Exception {
    Path journal = dir.resolve("journal");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = dev.stability.core.TestClassPath.ofThisJvm();
    String[] policies = {"every-record", "batch", "os"};
    Random random = new Random(99);
    long previousLast = 0;
    int torn = 0;
    for (int run = 0; run < 20; run++) {
      String policy = policies[run % policies.length];
      Process child =
          new ProcessBuilder(
                  java,
                  "-cp",
                  classpath,
                  JournalCrashChild.class.getName(),
                  journal.toString(),
                  policy)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      AtomicLong durable = new AtomicLong();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("durable ")) {
                      durable.set(Long.parseLong(line.substring(8)));
                    }
                  }
                } catch (java.io.IOException e) {
                  // the child died: that is the point
                }
              });
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (durable.get() <= previousLast && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(50 + random.nextInt(150));
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join();
      long reported = durable.get();
      assertThat(reported)
          .as("run %d (%s): the child made progress", run, policy)
          .isGreaterThan(previousLast);

      List<String> problems = new ArrayList<>();
      JournalListener listener =
          new JournalListener() {
            @Override
            public void corrupted(String segment, long offset, String problem, String savedTo) {
              problems.add(problem);
            }
          };
      try (FileJournal reopened =
          new FileJournal(
              JournalSettings.builder("crash", journal).segmentSize(1 << 20).build(),
              Clock.systemUTC(),
              listener)) {
        long last = reopened.lastSequence();
        assertThat(last)
            .as("run %d (%s): every reported durable record is there", run, policy)
            .isGreaterThanOrEqualTo(reported);
        long[] expected = {previousLast + 1};
        try (var tail = reopened.reader(Math.max(1, previousLast))) {
          while (tail.poll(
                  (seq, epoch, ts, payload) -> {
                    if (seq < expected[0]) {
                      return;
                    }
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    assertThat(bytes)
                        .as("record %d intact", seq)
                        .isEqualTo(JournalTest.payload(seq, (int) (seq * 7919 % 60_000)));
                    expected[0] = seq + 1;
                  },
                  10_000)
              > 0) {
            // read on
          }
        }
        assertThat(expected[0] - 1)
            .as("nothing after the recovered end is returned")
            .isEqualTo(last);
        previousLast = last;
      }
      torn += problems.isEmpty() ? 0 : 1;
      assertThat(problems)
          .allSatisfy(p -> assertThat(p).startsWith("a record was torn while being written"));
    }
    // How many kills landed inside a record is up to timing; the test reports it.
    System.getLogger(JournalCrashTest.class.getName())
        .log(System.Logger.Level.INFO, "torn records found after 20 kills: " + torn);
  }
}
