package dev.stability.benchmarks;

import static dev.stability.benchmarks.ReplicationFixtures.freePort;
import static dev.stability.benchmarks.ReplicationFixtures.runtime;

import dev.stability.aeron.AckPolicy;
import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * SEMI_SYNC append-to-confirm latency at 10k, 50k and 100k records/s, beside a raw Aeron ping-pong
 * round trip over the same kind of channel (UDP on loopback, two embedded low-CPU drivers), all in
 * one run. Goal: p99 <= 2x the raw round trip.
 *
 * <p>Open loop: a sender appends 100-byte records at the rate, each at its due time, and notes the
 * due time; a watcher records, for every record, the time from its due time to the primary seeing a
 * standby's confirmation of it (so a sender running late counts against the SDK: no coordinated
 * omission). It is not JMH: JMH has no open-loop mode; HdrHistogram does the counting.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.stability.benchmarks.SemiSyncLatency [seconds per rate, default 5] [max idle µs, default
 *     1000]
 * </pre>
 *
 * <p>The second argument sets {@link AeronMediaSettings.Builder#maxIdle} on both drivers (and so on
 * the SDK's replication threads) and the same bound on this harness's own threads (the ping-pong
 * ends and the confirmation watcher), so the anchor and the SDK wait alike.
 */
public final class SemiSyncLatency {

  private SemiSyncLatency() {}

  /**
   * The harness threads' idle strategy: the low-CPU preset's back-off, parking at most as long as
   * the media's threads, so both sides wait alike.
   */
  private static IdleStrategy idle(Duration maxIdle) {
    return new org.agrona.concurrent.BackoffIdleStrategy(10, 20, 1_000, maxIdle.toNanos());
  }

  /** Runs the measurement and prints one table. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Duration maxIdle =
        args.length > 1
            ? Duration.ofNanos(Long.parseLong(args[1]) * 1_000)
            : AeronMediaSettings.DEFAULT_MAX_IDLE;
    PrintStream out = System.out;
    out.println("media and harness threads: low CPU preset, maxIdle " + maxIdle);
    Path dir = Files.createTempDirectory("semisync-");
    try (AeronMedia primaryMedia =
            AeronMedia.start(
                AeronMediaSettings.lowCpu().maxIdle(maxIdle).directory(dir.resolve("a")).build());
        AeronMedia standbyMedia =
            AeronMedia.start(
                AeronMediaSettings.lowCpu().maxIdle(maxIdle).directory(dir.resolve("b")).build());
        StabilityRuntime primaryRuntime = runtime("primary");
        StabilityRuntime standbyRuntime = runtime("standby")) {
      Histogram raw = pingPong(primaryMedia, standbyMedia, maxIdle, 20_000, 100_000);
      out.println(row("raw Aeron ping-pong round trip", raw, raw));

      ReplicationSettings settings =
          ReplicationSettings.builder("latency")
              .udp("localhost:" + freePort(), "localhost:" + freePort())
              .ack(AckPolicy.SEMI_SYNC)
              .confirmTimeout(Duration.ofSeconds(30))
              .build();
      Journal journal = primaryRuntime.journals().open(journal(dir.resolve("primary"), "primary"));
      try (JournalPublisher publisher =
              JournalPublisher.start(primaryRuntime, journal, primaryMedia, settings);
          AeronJournalSource source =
              AeronJournalSource.start(
                  standbyRuntime,
                  standbyRuntime.journals().openReplica(journal(dir.resolve("standby"), "standby")),
                  standbyMedia,
                  settings)) {
        for (int rate : new int[] {10_000, 50_000, 100_000}) {
          measure(publisher, maxIdle, rate, 2); // warm-up
          Histogram histogram = measure(publisher, maxIdle, rate, seconds);
          out.println(row("SEMI_SYNC append to confirm at " + rate + "/s", histogram, raw));
        }
        out.println("received " + source.receivedSequence() + " records");
      }
    }
  }

  private static String row(String what, Histogram h, Histogram raw) {
    return String.format(
        Locale.ROOT,
        "%-45s n=%8d  p50=%7.1f us  p99=%8.1f us  p99.9=%8.1f us  max=%8.1f us  p99/raw p99=%.2f",
        what,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        (double) h.getValueAtPercentile(99) / raw.getValueAtPercentile(99));
  }

  private static Histogram measure(
      JournalPublisher publisher, Duration maxIdle, int rate, int seconds)
      throws InterruptedException {
    Journal journal = publisher.journal();
    int count = rate * seconds;
    long first = journal.lastSequence() + 1;
    long[] due = new long[count];
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Thread watcher =
        new Thread(
            () -> {
              IdleStrategy idle = idle(maxIdle);
              long seen = first - 1;
              long last = first + count - 1;
              while (seen < last) {
                long confirmed = Math.min(publisher.confirmedSequence(), last);
                idle.idle(confirmed > seen ? 1 : 0);
                if (confirmed > seen) {
                  long now = System.nanoTime();
                  for (long s = seen + 1; s <= confirmed; s++) {
                    histogram.recordValue(Math.max(0, now - due[(int) (s - first)]));
                  }
                  seen = confirmed;
                }
              }
            },
            "confirm-watcher");
    watcher.start();
    byte[] payload = new byte[100];
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long dueAt = start + i * interval;
      long early = dueAt - System.nanoTime();
      if (early > 60_000) {
        LockSupport.parkNanos(early - 50_000); // late wake-ups count against the SDK: fair
      }
      while (System.nanoTime() < dueAt) {
        Thread.yield();
      }
      due[i] = dueAt;
      journal.append(1, payload);
    }
    watcher.join();
    return histogram;
  }

  private static Histogram pingPong(
      AeronMedia a, AeronMedia b, Duration maxIdle, int warmUp, int count) {
    String ping = "aeron:udp?endpoint=localhost:" + freePort();
    String pong = "aeron:udp?endpoint=localhost:" + freePort();
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    try (Aeron left = Aeron.connect(new Aeron.Context().aeronDirectoryName(a.directory()));
        Aeron right = Aeron.connect(new Aeron.Context().aeronDirectoryName(b.directory()));
        ExclusivePublication pingOut = left.addExclusivePublication(ping, 3001);
        Subscription pingIn = right.addSubscription(ping, 3001);
        ExclusivePublication pongOut = right.addExclusivePublication(pong, 3002);
        Subscription pongIn = left.addSubscription(pong, 3002)) {
      while (!pingOut.isConnected() || !pongOut.isConnected()) {
        LockSupport.parkNanos(1_000_000);
      }
      UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
      Thread echo =
          new Thread(
              () -> {
                IdleStrategy idle = idle(maxIdle);
                while (!Thread.currentThread().isInterrupted()) {
                  int work =
                      pingIn.poll(
                          (buffer, offset, length, header) -> {
                            while (pongOut.offer(buffer, offset, length) < 0) {
                              Thread.yield();
                            }
                          },
                          16);
                  idle.idle(work);
                }
              },
              "echo");
      echo.setDaemon(true);
      echo.start();
      int[] pongs = new int[1];
      IdleStrategy idle = idle(maxIdle);
      for (int i = 0; i < warmUp + count; i++) {
        long sent = System.nanoTime();
        while (pingOut.offer(message, 0, 100) < 0) {
          Thread.yield();
        }
        pongs[0] = 0;
        idle.reset();
        while (pongIn.poll((buffer, offset, length, header) -> pongs[0]++, 1) == 0) {
          idle.idle();
        }
        if (i >= warmUp) {
          histogram.recordValue(System.nanoTime() - sent);
        }
        LockSupport.parkNanos(10_000); // a ping every ~10-60 us, not a flood
      }
      echo.interrupt();
    }
    return histogram;
  }

  private static JournalSettings journal(Path path, String name) {
    return JournalSettings.builder(name, path)
        .segmentSize(256 << 20)
        .flush(FlushPolicy.os())
        .build();
  }
}
