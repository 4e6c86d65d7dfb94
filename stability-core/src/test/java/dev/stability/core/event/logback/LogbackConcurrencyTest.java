package dev.stability.core.event.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.event.LogRecordFormat;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four threads write 100k records each into one real file through Logback and the encoder; half of
 * each thread's records go through the runtime (SDK path), half are ordinary SLF4J statements
 * (encoded concurrently on the writing threads). Every line must parse strictly, none may be lost,
 * duplicated or interleaved.
 */
class LogbackConcurrencyTest {

  private static final int THREADS = 4;
  private static final int PER_THREAD = 100_000;

  @TempDir Path dir;

  @Test
  void fourThreadsTimesHundredThousandEventsAllArriveWholeInOneFile() throws Exception {
    Path file = dir.resolve("concurrent.log");
    try (LogbackFiles ignored = new LogbackFiles(file, "stability", "app.concurrent");
        StabilityRuntime runtime =
            StabilityRuntime.builder(TestIdentities.oms("a1"))
                .eventQueueCapacity(1 << 20)
                // Only the records of this test in the file: no health polling events.
                .health(
                    dev.stability.core.health.HealthSettings.builder()
                        .pollEvery(java.time.Duration.ZERO)
                        .build())
                .build()) {
      Logger app = LoggerFactory.getLogger("app.concurrent");
      CyclicBarrier start = new CyclicBarrier(THREADS);
      Thread[] threads = new Thread[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads[t] =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  for (int i = 0; i < PER_THREAD; i++) {
                    if ((i & 1) == 0) {
                      runtime
                          .events()
                          .publish(
                              LogRecord.builder(StabilityEventCode.APP_BUSINESS)
                                  .message("sdk \"record\"\n" + thread + ":" + i)
                                  .attr("t", thread)
                                  .attr("i", i));
                    } else {
                      app.atInfo()
                          .setMessage("plain statement\r\n" + thread + ":" + i)
                          .addKeyValue("t", thread)
                          .addKeyValue("i", i)
                          .log();
                    }
                  }
                },
                "writer-" + t);
        threads[t].start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(60))).isTrue();
      assertThat(runtime.events().dropped()).isZero();
    }

    BitSet[] seen = new BitSet[THREADS];
    for (int t = 0; t < THREADS; t++) {
      seen[t] = new BitSet(PER_THREAD);
    }
    long lines = 0;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        LogRecord record = LogRecordFormat.parse(line); // throws on any torn or mixed line
        String t = record.attrs().get("t");
        if (t == null) {
          assertThat(record.code()).isIn("RUNTIME_STARTED", "RUNTIME_STOPPED");
          continue;
        }
        int thread = Integer.parseInt(t);
        int index = Integer.parseInt(record.attrs().get("i"));
        assertThat(record.message()).endsWith(thread + ":" + index);
        assertThat(seen[thread].get(index)).as("duplicate %s:%s", thread, index).isFalse();
        seen[thread].set(index);
      }
    }
    for (int t = 0; t < THREADS; t++) {
      assertThat(seen[t].cardinality()).as("records of thread " + t).isEqualTo(PER_THREAD);
    }
    assertThat(lines).isEqualTo((long) THREADS * PER_THREAD + 2);
  }
}
