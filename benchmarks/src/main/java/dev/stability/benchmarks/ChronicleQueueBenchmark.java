package dev.stability.benchmarks;

import static dev.stability.benchmarks.JournalBenchmark.PAYLOAD;
import static dev.stability.benchmarks.JournalBenchmark.WARM;
import static dev.stability.benchmarks.JournalBenchmark.deleteTree;
import static dev.stability.benchmarks.JournalBenchmark.payload;
import static dev.stability.benchmarks.JournalBenchmark.require;
import static dev.stability.benchmarks.JournalBenchmark.tempDirectory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal's anchor: Chronicle Queue (open source, {@code net.openhft:chronicle-queue}, the
 * memory-mapped queue a user would pick instead of the SDK's journal) appending the same {@value
 * JournalBenchmark#PAYLOAD}-byte payload as {@link JournalBenchmark}, one excerpt per record, on
 * one thread, in records per second. Run both classes in one JMH run and compare each line with the
 * journal line that gives the same promise:
 *
 * <ul>
 *   <li>{@code chronicleOs} against {@code JournalBenchmark.appendOs}: the excerpt is in the
 *       memory-mapped file (page cache) and visible to a tailer when the call returns; nothing is
 *       forced ({@code SyncMode.NONE}, Chronicle's default: it never {@code msync}s on its own).
 *       Survives a process crash, not a host crash.
 *   <li>{@code chronicleBatch} against {@code appendBatch}: the queue built with {@code
 *       SyncMode.SYNC}, and every {@code batchRecords}-th append calls {@code appender.sync()},
 *       which {@code msync}s ({@code MS_SYNC}) the pages written since the last sync, on the
 *       appending thread. The journal's batch policy forces on its flusher thread instead, and also
 *       every 10 ms; at these rates a batch fills well within 10 ms, so the count decides in both.
 *   <li>{@code chronicleEveryRecord} against {@code appendEveryRecord}: {@code appender.sync()}
 *       after every append: durable on storage when the call returns.
 * </ul>
 *
 * <p>What differs and is not equalised: Chronicle's excerpt has a 4-byte header (104 bytes a
 * record) and no checksum, sequence, epoch or timestamp; the journal's record has a 32-byte header
 * with a CRC32C over the record (136 bytes a record). Chronicle's queue rolls daily (one file for a
 * trial); the journal rolls a 256 MiB segment about every 2 million records.
 *
 * <p>Chronicle on Java 17 needs the module flags in this class's {@link Fork#jvmArgsAppend()} (its
 * documented list); {@code -Dchronicle.analytics.disable=true} keeps its usage analytics off.
 *
 * <p>Guard rails: {@code @Setup} appends {@value JournalBenchmark#WARM} records and reads them back
 * with a tailer (payload compared); {@code @TearDown} fails the run unless the queue holds exactly
 * the records appended and the last {@value JournalBenchmark#WARM} read back intact, and for the
 * synced lines unless the queue's sync mode is {@code SYNC} (checked with {@code strace -f -c -e
 * trace=msync} when this class was written: one {@code msync} per {@code sync()}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true",
      "-Dchronicle.disk.monitor.disable=true"
    })
public class ChronicleQueueBenchmark {

  /** A Chronicle queue in a fresh directory, an appender and the payload. */
  abstract static class QueueState {
    String benchmark;
    Path directory;
    SyncMode syncMode;
    SingleChronicleQueue queue;
    ExcerptAppender appender;
    byte[] bytes;
    BytesStore<?, ?> payload;
    long appends;
    long firstIndex;

    void open(String benchmark, SyncMode syncMode) {
      this.benchmark = benchmark;
      this.syncMode = syncMode;
      directory = tempDirectory("stability-bench-chronicle-");
      queue = SingleChronicleQueueBuilder.binary(directory).syncMode(syncMode).build();
      appender = queue.createAppender();
      bytes = payload();
      payload = BytesStore.wrap(bytes);
      for (int i = 0; i < WARM; i++) {
        appender.writeBytes(payload);
      }
      appender.sync();
      firstIndex = queue.firstIndex();
      require(
          queue.entryCount() == WARM,
          benchmark + ": " + queue.entryCount() + " excerpts after " + WARM + " appends");
      requireReadBack(0, WARM);
      appends = 0;
      System.out.println("\n" + benchmark + ": queue in " + directory + " (" + syncMode + ")");
    }

    /** Reads excerpts {@code from} to {@code from + count - 1} (0-based) back, payload compared. */
    void requireReadBack(long from, long count) {
      try (ExcerptTailer tailer = queue.createTailer()) {
        // One cycle (the queue rolls daily): indexes within it are consecutive.
        require(tailer.moveToIndex(firstIndex + from), benchmark + ": no excerpt " + from);
        Bytes<?> seen = Bytes.allocateElasticOnHeap(PAYLOAD);
        byte[] read = new byte[PAYLOAD];
        for (long i = 0; i < count; i++) {
          seen.clear();
          require(tailer.readBytes(seen), benchmark + ": excerpt " + (from + i) + " missing");
          require(seen.readRemaining() == PAYLOAD, benchmark + ": excerpt " + (from + i) + " size");
          seen.read(read);
          require(Arrays.equals(read, bytes), benchmark + ": payload of " + (from + i));
        }
        seen.clear();
        require(!tailer.readBytes(seen), benchmark + ": an excerpt after " + (from + count - 1));
      }
    }

    void close(boolean synced) {
      try {
        long total = WARM + appends;
        require(appends > 0, benchmark + ": nothing was appended");
        require(
            queue.entryCount() == total,
            benchmark + ": " + queue.entryCount() + " excerpts after " + total + " appends");
        if (synced) {
          // SyncMode.SYNC is what makes appender.sync() msync: with NONE it returns at once.
          require(
              syncMode == SyncMode.SYNC,
              benchmark + ": the queue's sync mode is " + syncMode + ", not SYNC");
        }
        requireReadBack(total - WARM, WARM);
        System.out.println("\n" + benchmark + ": " + total + " excerpts");
      } finally {
        appender.close();
        queue.close();
        deleteTree(directory);
      }
    }
  }

  /** No sync: the journal's {@code os()} promise. */
  @State(Scope.Thread)
  public static class OsQueue extends QueueState {
    @Setup(Level.Trial)
    public void setUp() {
      open("chronicleOs", SyncMode.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close(false);
    }
  }

  /** {@code sync()} every {@code batchRecords} appends: the journal's batch promise. */
  @State(Scope.Thread)
  public static class BatchQueue extends QueueState {
    @Param({"1000"})
    int batchRecords;

    int sinceSync;

    @Setup(Level.Trial)
    public void setUp() {
      open("chronicleBatch", SyncMode.SYNC);
    }

    void appendAndMaybeSync() {
      appender.writeBytes(payload);
      appends++;
      if (++sinceSync == batchRecords) {
        appender.sync();
        sinceSync = 0;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close(true);
    }
  }

  /** {@code sync()} after every append: the journal's {@code everyRecord()} promise. */
  @State(Scope.Thread)
  public static class EveryRecordQueue extends QueueState {
    @Setup(Level.Trial)
    public void setUp() {
      open("chronicleEveryRecord", SyncMode.SYNC);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close(true);
    }
  }

  /** One excerpt appended; nothing forced. */
  @Benchmark
  public void chronicleOs(OsQueue state) {
    state.appender.writeBytes(state.payload);
    state.appends++;
  }

  /** One excerpt appended; an msync every {@code batchRecords}. */
  @Benchmark
  public void chronicleBatch(BatchQueue state) {
    state.appendAndMaybeSync();
  }

  /** One excerpt appended and msynced. */
  @Benchmark
  public void chronicleEveryRecord(EveryRecordQueue state) {
    state.appender.writeBytes(state.payload);
    state.appender.sync();
    state.appends++;
  }
}
