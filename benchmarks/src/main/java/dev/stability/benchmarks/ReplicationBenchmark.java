package dev.stability.benchmarks;

import static dev.stability.benchmarks.ReplicationFixtures.freePort;
import static dev.stability.benchmarks.ReplicationFixtures.idle;
import static dev.stability.benchmarks.ReplicationFixtures.runtime;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replication throughput, 100-byte records, primary journal to standby journal, beside raw Aeron (a
 * publication to a subscription of the same 100-byte messages on the same channel, through the same
 * two embedded drivers) in the same run. Goal: replication >= 0.8x raw Aeron.
 *
 * <p>Each invocation moves {@value #RECORDS} records: {@code replicate} appends them to the
 * primary's journal (FlushPolicy.os) and waits until the standby journaled the last one; {@code
 * raw} offers them (retrying on back pressure) and waits until the subscriber counted the last one.
 * Per-invocation setup makes fresh journals and connects both sides, untimed. Channels: {@code udp}
 * (loopback unicast, two drivers: what two hosts do) and {@code ipc} (one driver). Drivers run the
 * low-CPU preset (shared threading, back-off idling), as on these 2-core machines.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar \
 *     ReplicationBenchmark -f 1 -wi 3 -i 10
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"})
public class ReplicationBenchmark {

  static final int RECORDS = 200_000;

  @Param({"udp", "ipc"})
  public String channel;

  /**
   * Whether both journals take their page faults on a pretouch thread ({@code
   * JournalSettings.Builder.pretouch}); it starts with each invocation's fresh journals, so it is a
   * mebibyte ahead when the clock starts.
   */
  @Param({"false"})
  public boolean pretouch;

  private Path dir;
  private AeronMedia primaryMedia;
  private AeronMedia standbyMedia;
  private StabilityRuntime primaryRuntime;
  private StabilityRuntime standbyRuntime;
  private ReplicationSettings settings;

  // replicate
  private Journal journal;
  private ReplicaJournal replica;
  private JournalPublisher publisher;
  private AeronJournalSource source;

  // raw
  private Aeron rawPrimary;
  private Aeron rawStandby;
  private ExclusivePublication rawPublication;
  private Subscription rawSubscription;
  private Thread rawReceiver;
  private final AtomicLong rawReceived = new AtomicLong();
  private volatile boolean rawRunning;
  private final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
  private final byte[] payload = new byte[100];

  @Setup(Level.Trial)
  public void startMedia() throws IOException {
    dir = Files.createTempDirectory("replication-bench-");
    AeronMediaSettings.Builder media = AeronMediaSettings.lowCpu().termLength(16 << 20);
    primaryMedia = AeronMedia.start(media.directory(dir.resolve("a")).build());
    standbyMedia =
        channel.equals("udp")
            ? AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(16 << 20)
                    .directory(dir.resolve("b"))
                    .build())
            : primaryMedia;
    primaryRuntime = runtime("primary");
    standbyRuntime = runtime("standby");
    ReplicationSettings.Builder builder = ReplicationSettings.builder("bench");
    settings =
        channel.equals("udp")
            ? builder.udp("localhost:" + freePort(), "localhost:" + freePort()).build()
            : builder.ipc().build();
    rawPrimary = Aeron.connect(new Aeron.Context().aeronDirectoryName(primaryMedia.directory()));
    rawStandby = Aeron.connect(new Aeron.Context().aeronDirectoryName(standbyMedia.directory()));
  }

  @Setup(Level.Invocation)
  public void connect() throws Exception {
    Path round = Files.createTempDirectory(dir, "round-");
    journal =
        primaryRuntime
            .journals()
            .open(
                JournalSettings.builder("primary", round.resolve("primary"))
                    .segmentSize(64 << 20)
                    .flush(FlushPolicy.os())
                    .pretouch(pretouch)
                    .build());
    replica =
        standbyRuntime
            .journals()
            .openReplica(
                JournalSettings.builder("standby", round.resolve("standby"))
                    .segmentSize(64 << 20)
                    .flush(FlushPolicy.os())
                    .pretouch(pretouch)
                    .build());
    publisher = JournalPublisher.start(primaryRuntime, journal, primaryMedia, settings);
    source = AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings);
    journal.append(1, payload); // connected and flowing before the clock starts
    IdleStrategy idle = idle();
    while (source.receivedSequence() < 1) {
      idle.idle();
    }

    rawPublication = rawPrimary.addExclusivePublication(settings.dataChannel(), 2001);
    rawSubscription = rawStandby.addSubscription(settings.dataChannel(), 2001);
    while (!rawPublication.isConnected()) {
      idle.idle();
    }
    rawReceived.set(0);
    rawRunning = true;
    rawReceiver =
        new Thread(
            () -> {
              // the same idling as the SDK's replication threads (AeronMedia, low CPU)
              IdleStrategy receiverIdle =
                  new BackoffIdleStrategy(
                      10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
              while (rawRunning) {
                receiverIdle.idle(
                    rawSubscription.poll(
                        (buffer, offset, length, header) -> rawReceived.incrementAndGet(), 256));
              }
            },
            "raw-receiver");
    rawReceiver.start();
  }

  /** The SDK's replication: journal append on the primary to journaled on the standby. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long replicate() {
    long target = journal.lastSequence() + RECORDS;
    for (int i = 0; i < RECORDS; i++) {
      journal.append(1, payload);
    }
    IdleStrategy idle = idle();
    while (source.receivedSequence() < target) {
      idle.idle();
    }
    return target;
  }

  /** Raw Aeron: the same messages from a publication to a subscription on the same channel. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long raw() {
    for (int i = 0; i < RECORDS; i++) {
      while (rawPublication.offer(message, 0, 100) < 0) {
        Thread.yield();
      }
    }
    IdleStrategy idle = idle();
    while (rawReceived.get() < RECORDS) {
      idle.idle();
    }
    return rawReceived.get();
  }

  @TearDown(Level.Invocation)
  public void disconnect() throws InterruptedException {
    rawRunning = false;
    rawReceiver.join();
    rawSubscription.close();
    rawPublication.close();
    source.close();
    publisher.close();
    replica.close();
    journal.close();
  }

  @TearDown(Level.Trial)
  public void stopMedia() throws IOException {
    rawStandby.close();
    rawPrimary.close();
    standbyRuntime.close();
    primaryRuntime.close();
    if (standbyMedia != primaryMedia) {
      standbyMedia.close();
    }
    primaryMedia.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
