package dev.stability.benchmarks;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.LeasedJournal;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
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
 * Append throughput of the file journal, in records per second on one thread (ops/s = records/s),
 * per flush policy, against two plain {@link FileChannel} writers of the same records: the numbers
 * behind the choice of memory-mapped segments. Every record carries a prebuilt {@value #PAYLOAD}
 * byte payload (seeded random bytes, one heap {@link ByteBuffer} reused for every append), so with
 * the journal's 32-byte record header and padding to 8 each record takes {@value #RECORD} bytes on
 * disk.
 *
 * <ul>
 *   <li>{@code appendOs}: {@code journal.append(1, payload)} on a journal opened with {@link
 *       FlushPolicy#os()}: the record is copied into the memory-mapped segment (page cache) and
 *       nothing is forced; durable against a process crash when the call returns.
 *   <li>{@code appendOsLeased}: {@code appendOs} through a {@link LeasedJournal}: the lease is
 *       asked before every append (what a primary on a role lease pays; the lease a stand-in with
 *       {@code ZooKeeperRoleLease}'s {@code held()}).
 *   <li>{@code leaseHeld}, {@code nanoTime}: the lease's check alone and its clock read alone, in
 *       nanoseconds per call (the file journal's appends vary too much with the page cache to show
 *       a difference of this size).
 *   <li>{@code appendBatch}: the same with {@code FlushPolicy.batch(batchRecords,
 *       Duration.ofMillis(10))}, {@code batchRecords} 1000 (the figure for the budget) and 10000:
 *       every {@code batchRecords}-th append signals the journal's flusher thread, which forces the
 *       segment range written since the last force ({@code MappedByteBuffer.force(offset, length)},
 *       an {@code msync}) without holding the append lock; it also forces whatever is pending every
 *       10 ms. Appends do not wait for a force (one force may cover several batches).
 *   <li>{@code appendEveryRecord}: the same with {@link FlushPolicy#everyRecord()} (the default):
 *       every append forces its record to storage before it returns. Expected to be slow (one
 *       storage flush per record); run it with a short measurement.
 *   <li>{@code fileChannelWritePerRecord}: the baseline. The same record bytes (length, CRC32C
 *       computed the journal's way, sequence, epoch, timestamp from the same kind of clock,
 *       payload, zero padding) built in a direct buffer and written with one positional {@link
 *       FileChannel#write(ByteBuffer, long)} (a {@code pwrite}) per record into segment files of
 *       the journal's size, pre-sized with {@code RandomAccessFile.setLength} like the journal's
 *       (sparse), records from offset 64 as after the journal's segment header. Nothing forced: the
 *       durability of {@code appendOs} (page cache when the call returns).
 *   <li>{@code fileChannelBuffered}: the same records packed into a 64 KiB direct user-space buffer
 *       that is written with one positional {@code FileChannel.write} when the next record does not
 *       fit (481 records per write). Not the same promise: up to 481 records sit in the process's
 *       memory and are lost with it on a process crash.
 * </ul>
 *
 * <p>The journals are opened through {@code runtime.journals().open} (the primary's path: the
 * runtime's metrics and events are attached), segment size {@value #SEGMENT_SIZE} bytes (256 MiB,
 * about 1.97 million records, so a run of a few seconds rolls a few segments; the baselines roll at
 * the same size, without the journal's header and directory {@code fsync}s). Every trial uses a
 * fresh temporary directory under {@code java.io.tmpdir} (/tmp), deleted by its {@code @TearDown}
 * (and by a shutdown hook if the fork dies first). At a million records per second a trial writes
 * gigabytes: check free space first.
 *
 * <p>Two regimes. The writers that force nothing ({@code appendOs}, {@code fileChannelBuffered})
 * fill the page cache far faster than a disk writes it back; once the kernel's dirty-page limit is
 * reached (a few GB, a few seconds into a trial) it throttles the writer to the disk's write
 * bandwidth, and every such writer then runs at the same rate. A short run (fresh fork, about two
 * seconds of appends: {@code -wi 1 -w 1s -i 1 -r 1s} with several forks) measures the CPU cost
 * before the throttle; a long one ({@code -wi 2 -w 2s -i 5 -r 2s}) the sustained, disk-bound rate.
 * BENCHMARKS.md reports both.
 *
 * <p>Guard rails. {@code @Setup} appends {@value #WARM} records and fails the run unless they read
 * back (through {@code journal.reader(1)}) with their sequences and payload, the journal's {@code
 * durableSequence()} is what the policy promises (all of them for {@code os} and {@code
 * everyRecord}, any number up to all of them for {@code batch}; all after {@code sync()}) and the
 * runtime's {@code stability.journal.appends} counter says {@value #WARM}. {@code @TearDown} fails
 * it unless the journal's last sequence equals the appends made, the appends counter agrees, the
 * last {@value #WARM} records read back intact, and the flush timer ({@code
 * stability.journal.flush}) shows the policy: no force for {@code os}, at least one force per
 * {@code batchRecords} records and far fewer than one per record for {@code batch}, at least one
 * per record for {@code everyRecord}. The baselines' {@code @TearDown} reads the files back and
 * fails unless every file holds exactly the records written to it, the first and last with the
 * right sequence and a valid CRC. Each trial prints its record and segment counts and, for the
 * journal, its forces (count, mean and total time).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalBenchmark {

  static final int PAYLOAD = 100;
  static final int RECORD_HEADER = 32;
  static final int RECORD = 136; // 32 + 100, aligned to 8
  static final int SEGMENT_HEADER = 64;
  static final int SEGMENT_SIZE = 256 << 20;
  static final int WARM = 1000;
  static final long EPOCH = 1;
  static final Duration BATCH_INTERVAL = Duration.ofMillis(10);
  static final int BUFFER = 64 << 10;

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  static byte[] payload() {
    byte[] bytes = new byte[PAYLOAD];
    new SplittableRandom(2026).nextBytes(bytes);
    return bytes;
  }

  static Path tempDirectory(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long countFiles(Path dir, String glob) {
    long n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path ignored : files) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  // ------------------------------------------------------------------------------ journal states

  /** A file journal with one flush policy in a fresh directory, and the payload to append. */
  abstract static class JournalState {
    String benchmark;
    FlushPolicy policy;
    Path directory;
    SimpleMeterRegistry meters;
    StabilityRuntime runtime;
    Journal journal;
    byte[] bytes;
    ByteBuffer payload;
    long appends;

    void open(String benchmark, FlushPolicy policy) {
      this.benchmark = benchmark;
      this.policy = policy;
      directory = tempDirectory("stability-bench-journal-");
      meters = new SimpleMeterRegistry();
      ServiceIdentity identity =
          ServiceIdentity.builder()
              .systemCode("OMS")
              .subsystem("order-entry")
              .instanceId("oms-bench-01")
              .build();
      runtime = StabilityRuntime.builder(identity).meterRegistry(meters).slf4jOutput(false).build();
      journal =
          runtime
              .journals()
              .open(
                  JournalSettings.builder("orders", directory.resolve("journal"))
                      .segmentSize(SEGMENT_SIZE)
                      .flush(policy)
                      .build());
      bytes = payload();
      payload = ByteBuffer.wrap(bytes);
      for (int i = 0; i < WARM; i++) {
        journal.append(EPOCH, payload);
      }
      require(
          journal.lastSequence() == WARM,
          benchmark + ": last sequence " + journal.lastSequence() + " after " + WARM + " appends");
      // BATCH: the count forces only after a full batch, and the 10 ms timer may have forced part
      // of it (which restarts the count): anything up to WARM may be durable before the sync.
      long durable = journal.durableSequence();
      require(
          policy.kind() == FlushPolicy.Kind.BATCH ? durable <= WARM : durable == WARM,
          benchmark
              + ": durable sequence "
              + durable
              + " after "
              + WARM
              + " appends under "
              + policy);
      require(journal.sync() == WARM, benchmark + ": sync did not reach " + WARM);
      requireReadBack(1, WARM);
      require(
          appendsCounted() == WARM,
          benchmark + ": stability.journal.appends says " + appendsCounted() + ", not " + WARM);
      appends = 0;
      System.out.println(
          "\n" + benchmark + ": journal in " + directory + " (" + policy.kind() + ")");
    }

    double appendsCounted() {
      return meters
          .get("stability.journal.appends")
          .tag("journal", "orders")
          .functionCounter()
          .count();
    }

    Timer forceTimer() {
      return meters.get("stability.journal.flush").tag("journal", "orders").timer();
    }

    long forces() {
      return forceTimer().count();
    }

    /** Reads records {@code from..to} back and fails unless each is the record appended. */
    void requireReadBack(long from, long to) {
      long[] next = {from};
      byte[] seen = new byte[PAYLOAD];
      try (JournalReader reader = journal.reader(from)) {
        long total = to - from + 1;
        long read = 0;
        while (read < total) {
          int n =
              reader.poll(
                  (sequence, epoch, timestamp, p) -> {
                    require(
                        sequence == next[0] && epoch == EPOCH && p.remaining() == PAYLOAD,
                        benchmark + ": record " + sequence + " is not what was appended");
                    p.duplicate().get(seen);
                    require(Arrays.equals(seen, bytes), benchmark + ": payload " + sequence);
                    next[0]++;
                  },
                  (int) Math.min(1024, total - read));
          require(n > 0, benchmark + ": the reader stopped at " + next[0] + " before " + to);
          read += n;
        }
        require(reader.poll((s, e, t, p) -> {}, 1) == 0, benchmark + ": a record after " + to);
      }
    }

    long append() {
      long sequence = journal.append(EPOCH, payload);
      appends++;
      return sequence;
    }

    void close() {
      try {
        long last = journal.lastSequence();
        require(appends > 0, benchmark + ": nothing was appended");
        require(
            last == WARM + appends,
            benchmark + ": last sequence " + last + " after " + (WARM + appends) + " appends");
        require(
            appendsCounted() == last,
            benchmark + ": stability.journal.appends says " + appendsCounted() + ", not " + last);
        long forces = forces();
        switch (policy.kind()) {
          case OS -> require(forces == 0, benchmark + ": " + forces + " forces under OS");
          case BATCH ->
              require(
                  // One force may cover several batches; at least one happened, far fewer than
                  // one per record.
                  forces >= 1 && forces < last / 10,
                  benchmark + ": " + forces + " forces for " + last + " records");
          case EVERY_RECORD ->
              require(forces >= last, benchmark + ": " + forces + " forces for " + last);
        }
        require(
            journal.durableSequence() == last || policy.kind() == FlushPolicy.Kind.BATCH,
            benchmark + ": durable " + journal.durableSequence() + ", last " + last);
        require(journal.sync() == last, benchmark + ": sync did not reach " + last);
        requireReadBack(Math.max(1, last - WARM + 1), last);
        System.out.println(
            "\n"
                + benchmark
                + ": "
                + last
                + " records in "
                + countFiles(directory.resolve("journal"), "*.seg")
                + " segments, "
                + forces
                + " forces"
                + (forces == 0
                    ? ""
                    : String.format(
                        " (%.3f ms mean, %.1f s in all)",
                        forceTimer().mean(TimeUnit.MILLISECONDS),
                        forceTimer().totalTime(TimeUnit.SECONDS))));
      } finally {
        runtime.close();
        meters.close();
        journal = null;
        runtime = null;
        System.gc(); // unmaps the segments (their cleaners run) before the files are deleted
        deleteTree(directory);
      }
    }
  }

  /** Journal with FlushPolicy.os(). */
  @State(Scope.Thread)
  public static class OsJournal extends JournalState {
    @Setup(Level.Trial)
    public void setUp() {
      open("appendOs", FlushPolicy.os());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /**
   * Journal with FlushPolicy.os() behind a {@link LeasedJournal}: every append first asks the lease
   * whether it is held. The lease is {@link HeldLease}, whose {@code held()} is the code of {@code
   * ZooKeeperRoleLease.held()} (a volatile grant, its "over" flag, its volatile deadline against
   * {@code System.nanoTime()}) with a deadline far ahead, so the cost measured is the check's,
   * without a ZooKeeper server in the benchmark.
   */
  @State(Scope.Thread)
  public static class LeasedOsJournal extends JournalState {
    @Setup(Level.Trial)
    public void setUp() {
      open("appendOsLeased", FlushPolicy.os());
      journal = LeasedJournal.of(journal, new HeldLease());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /** A lease held until far ahead; {@code held()} as {@code ZooKeeperRoleLease}'s. */
  static final class HeldLease implements RoleLease {
    private static final class Grant {
      final AtomicBoolean over = new AtomicBoolean();
      volatile long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);

      boolean held() {
        return !over.get() && System.nanoTime() - deadline < 0;
      }
    }

    private volatile Grant grant = new Grant();

    @Override
    public String participant() {
      return "oms-bench-01";
    }

    @Override
    public OptionalLong acquire(long above, Duration timeout) {
      throw new UnsupportedOperationException("held from the start");
    }

    @Override
    public boolean held() {
      Grant g = grant;
      return g != null && g.held();
    }

    @Override
    public long epoch() {
      return 1;
    }

    @Override
    public Optional<Holder> holder() {
      return Optional.of(new Holder(participant(), 1));
    }

    @Override
    public void release() {
      grant.over.set(true);
    }

    @Override
    public void addListener(Listener listener) {}

    @Override
    public void close() {
      release();
    }
  }

  /** Journal with FlushPolicy.batch(records, 10 ms). */
  @State(Scope.Thread)
  public static class BatchJournal extends JournalState {
    /** Appends per force. */
    @Param({"1000", "10000"})
    public int batchRecords;

    @Setup(Level.Trial)
    public void setUp() {
      open("appendBatch", FlushPolicy.batch(batchRecords, BATCH_INTERVAL));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /** Journal with FlushPolicy.everyRecord(). */
  @State(Scope.Thread)
  public static class EveryRecordJournal extends JournalState {
    @Setup(Level.Trial)
    public void setUp() {
      open("appendEveryRecord", FlushPolicy.everyRecord());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  // ------------------------------------------------------------------------------ baselines

  /**
   * Segment-sized files written with FileChannel: the same records as the journal's, either one
   * write per record or through a 64 KiB buffer.
   */
  abstract static class ChannelState {
    final CRC32C crc = new CRC32C();
    final Clock clock = Clock.systemDefaultZone();
    String benchmark;
    Path directory;
    FileChannel channel;
    int fileIndex;
    long filePosition; // bytes written to the current file (records start at SEGMENT_HEADER)
    long sequence; // the last sequence written
    byte[] bytes;
    ByteBuffer buffer; // one record, or the 64 KiB buffer
    ByteBuffer view;
    long[] recordsPerFile = new long[64];

    void open(String benchmark, int bufferSize) {
      this.benchmark = benchmark;
      directory = tempDirectory("stability-bench-channel-");
      bytes = payload();
      buffer = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
      view = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      fileIndex = -1;
      nextFile();
      System.out.println("\n" + benchmark + ": files in " + directory);
    }

    Path file(int index) {
      return directory.resolve(String.format("%06d.dat", index));
    }

    void nextFile() {
      try {
        if (channel != null) {
          channel.close();
        }
        fileIndex++;
        if (fileIndex == recordsPerFile.length) {
          recordsPerFile = Arrays.copyOf(recordsPerFile, fileIndex * 2);
        }
        Path path = file(fileIndex);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
          file.setLength(SEGMENT_SIZE);
        }
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        filePosition = SEGMENT_HEADER;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Writes the next record at {@code at} in {@code buffer}: the journal's layout and CRC (length,
     * then bytes 8 to the end of the padding).
     */
    void encode(int at) {
      long seq = sequence + 1;
      int length = RECORD_HEADER + PAYLOAD;
      buffer.putInt(at, 0);
      buffer.putLong(at + 8, seq);
      buffer.putLong(at + 16, EPOCH);
      buffer.putLong(at + 24, clock.millis() * 1_000L);
      buffer.put(at + RECORD_HEADER, bytes);
      for (int i = at + length; i < at + RECORD; i++) {
        buffer.put(i, (byte) 0);
      }
      crc.reset();
      crc.update(length);
      crc.update(length >>> 8);
      crc.update(length >>> 16);
      crc.update(length >>> 24);
      view.clear();
      view.position(at + 8).limit(at + RECORD);
      crc.update(view);
      buffer.putInt(at + 4, (int) crc.getValue());
      buffer.putInt(at, length);
      sequence = seq;
      recordsPerFile[fileIndex]++;
    }

    void write(ByteBuffer data) {
      try {
        while (data.hasRemaining()) {
          filePosition += channel.write(data, filePosition);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void close(long written) {
      try {
        require(written > 0 && sequence == written, benchmark + ": " + sequence + " records");
        channel.close();
        long total = 0;
        long first = 1;
        for (int i = 0; i <= fileIndex; i++) {
          long records = recordsPerFile[i];
          require(records > 0, benchmark + ": file " + i + " holds no record");
          try (FileChannel in = FileChannel.open(file(i), StandardOpenOption.READ)) {
            require(in.size() == SEGMENT_SIZE, benchmark + ": file " + i + " has " + in.size());
            requireRecord(in, SEGMENT_HEADER, first);
            long lastAt = SEGMENT_HEADER + (records - 1) * RECORD;
            requireRecord(in, lastAt, first + records - 1);
            ByteBuffer after = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            if (lastAt + RECORD + 4 <= SEGMENT_SIZE) {
              in.read(after, lastAt + RECORD);
              require(after.getInt(0) == 0, benchmark + ": data after the last record");
            }
          }
          first += records;
          total += records;
        }
        require(total == written, benchmark + ": " + total + " records in the files");
        System.out.println(
            "\n" + benchmark + ": " + written + " records in " + (fileIndex + 1) + " files");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        deleteTree(directory);
      }
    }

    void requireRecord(FileChannel in, long at, long expected) throws IOException {
      ByteBuffer record = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);
      while (record.hasRemaining()) {
        require(in.read(record, at + record.position()) > 0, benchmark + ": short file");
      }
      int length = record.getInt(0);
      crc.reset();
      crc.update(length);
      crc.update(length >>> 8);
      crc.update(length >>> 16);
      crc.update(length >>> 24);
      crc.update(record.array(), 8, RECORD - 8);
      byte[] payload = Arrays.copyOfRange(record.array(), RECORD_HEADER, RECORD_HEADER + PAYLOAD);
      require(
          length == RECORD_HEADER + PAYLOAD
              && record.getInt(4) == (int) crc.getValue()
              && record.getLong(8) == expected
              && Arrays.equals(payload, bytes),
          benchmark + ": the record at " + at + " is not record " + expected);
    }
  }

  /** One FileChannel.write per record. */
  @State(Scope.Thread)
  public static class ChannelPerRecord extends ChannelState {
    @Setup(Level.Trial)
    public void setUp() {
      open("fileChannelWritePerRecord", RECORD);
    }

    long append() {
      if (filePosition + RECORD > SEGMENT_SIZE) {
        nextFile();
      }
      encode(0);
      buffer.clear();
      write(buffer);
      return sequence;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close(sequence);
    }
  }

  /** Records packed into a 64 KiB buffer, written when the next one does not fit. */
  @State(Scope.Thread)
  public static class ChannelBuffered extends ChannelState {
    @Setup(Level.Trial)
    public void setUp() {
      open("fileChannelBuffered", BUFFER);
      buffer.clear();
    }

    long append() {
      if (filePosition + buffer.position() + RECORD > SEGMENT_SIZE) {
        flush();
        nextFile();
      }
      if (buffer.remaining() < RECORD) {
        flush();
      }
      int at = buffer.position();
      encode(at);
      buffer.position(at + RECORD);
      return sequence;
    }

    void flush() {
      buffer.flip();
      write(buffer);
      buffer.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      flush();
      close(sequence);
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** Journal append, FlushPolicy.os(). */
  @Benchmark
  public long appendOs(OsJournal state) {
    return state.append();
  }

  /** Journal append through a LeasedJournal (the lease checked first), FlushPolicy.os(). */
  @Benchmark
  public long appendOsLeased(LeasedOsJournal state) {
    return state.append();
  }

  /** A lease to check, alone. */
  @State(Scope.Thread)
  public static class LeaseOnly {
    final HeldLease lease = new HeldLease();
  }

  /**
   * The check {@code LeasedJournal} adds to every append, alone: {@code held()} of a lease with
   * {@code ZooKeeperRoleLease}'s code, in nanoseconds per call.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public boolean leaseHeld(LeaseOnly state) {
    return state.lease.held();
  }

  /** Baseline of {@code leaseHeld}: one {@code System.nanoTime()}, in nanoseconds per call. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public long nanoTime() {
    return System.nanoTime();
  }

  /** Journal append, FlushPolicy.batch(batchRecords, 10 ms). */
  @Benchmark
  public long appendBatch(BatchJournal state) {
    return state.append();
  }

  /** Journal append, FlushPolicy.everyRecord(): a storage flush per record. */
  @Benchmark
  public long appendEveryRecord(EveryRecordJournal state) {
    return state.append();
  }

  /** The same record, one positional FileChannel.write each. */
  @Benchmark
  public long fileChannelWritePerRecord(ChannelPerRecord state) {
    return state.append();
  }

  /** The same record into a 64 KiB buffer written with FileChannel.write when full. */
  @Benchmark
  public long fileChannelBuffered(ChannelBuffered state) {
    return state.append();
  }
}
