package dev.stability.benchmarks;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.journal.RecordHandler;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Standby apply throughput, in records per second: how fast a follower rebuilds a trivial state
 * machine from the primary's journal. Once per trial, {@value #RECORDS} 12-byte orders (account
 * 0..{@value #ACCOUNTS}-1 as an int, quantity -100..100 as a long, little-endian, from a seeded
 * {@link SplittableRandom}: stability-core's test {@code NetBook.order}) are appended to a file
 * journal ({@code runtime.journals().open}, {@link FlushPolicy#os()}, the default 64 MiB segments:
 * 48 bytes per record, so the {@value #RECORDS} records span two segments and every invocation
 * crosses a segment boundary). Every invocation then starts from an empty {@code Book} and applies
 * all {@value #RECORDS} records; {@code @OperationsPerInvocation} makes ops/s records/s.
 *
 * <p>The state machine ({@code Book}, this file's version of stability-core's test {@code
 * NetBook}): the net quantity per account in a {@code long[]}, and a {@link StateDigest} of 16
 * buckets over {@code net(account, qty)} records (two {@code putLong} fields), {@code add} when an
 * account first appears and {@code replace} afterwards (two record hashes per order from then on).
 * Unlike {@code NetBook} it keeps no list of applied sequences and no boxed map, so what it
 * allocates is the follower's and reader's, not its own.
 *
 * <ul>
 *   <li>{@code followerApply}: the real standby. {@code
 *       runtime.standby().follow(FollowerSettings.builder( "standby", dir).build(),
 *       JournalSource.of(journal), book)} (rebuild from the start, no snapshot, a checkpoint of the
 *       digest to the runtime's auditor every 10,000 records, the defaults), then {@code
 *       follower.awaitApplied(RECORDS, ...)} on the benchmark thread. The time is from starting the
 *       follower (its state directory read, its thread started) until the benchmark thread sees the
 *       last record applied ({@code awaitApplied} polls every 50 us); stopping it ({@code close()},
 *       which records its position with an {@code fsync}) is in the per-invocation
 *       {@code @TearDown}, not measured. Applying happens on the follower's thread, so on this
 *       2-vCPU machine the benchmark thread's polling shares the CPUs with it.
 *   <li>{@code readerPollApply}: the same apply without the follower: a {@code journal.reader(1)}
 *       polled in batches of 1024 (the follower's batch) on the benchmark thread, each record
 *       handed to {@code book.apply}. No checkpoints, no thread hand-off: the difference with
 *       {@code followerApply} is the follower's own cost.
 *   <li>{@code readerPollOnly}: the floor: the same reader loop with a handler that only adds the
 *       account and quantity to two sums (no digest). Reading a record includes checking its
 *       sequence and CRC32C.
 * </ul>
 *
 * <p>Guard rails. {@code @Setup} computes the expected final state (net per account, digest, sums)
 * by applying the orders to a {@code Book} directly, and fails the run unless that digest equals
 * one built from scratch by adding the final positions (so {@code replace} is right), a book
 * restored from its snapshot has the same digest, the journal's last sequence is {@value #RECORDS}
 * and it has at least two segments. After every invocation ({@code @TearDown(Level.Invocation)}),
 * the run fails unless the book applied exactly {@value #RECORDS} records in order, its positions
 * and digest equal the expected ones and, for {@code followerApply}, the follower stopped without a
 * failure and its last checkpoint (sequence {@value #RECORDS}) carries the expected digest; for
 * {@code readerPollOnly}, unless the sums are the expected ones.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FollowerBenchmark {

  static final int RECORDS = 2_000_000;
  static final int ACCOUNTS = 500;
  static final int BUCKETS = 16;
  static final int BATCH = 1024;
  static final long EPOCH = 1;
  static final long SEED = 2026;

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  /** One account's net position. */
  record Net(int account, long qty) {}

  static final RecordEncoder<Net> NET =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "net";
        }

        @Override
        public void encodeKey(Net net, CanonicalWriter out) {
          out.putLong("account", net.account());
        }

        @Override
        public void encodeValue(Net net, CanonicalWriter out) {
          out.putLong("qty", net.qty());
        }
      };

  /** A random order: account 0..499, quantity -100..100 (NetBook.order). */
  static byte[] order(SplittableRandom random) {
    return ByteBuffer.allocate(12)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(random.nextInt(ACCOUNTS))
        .putLong(random.nextInt(-100, 101))
        .array();
  }

  /** Net positions by account from 12-byte orders, with their digest. */
  static final class Book implements StateMachine, RecordHandler {
    final long[] net = new long[ACCOUNTS];
    final boolean[] seen = new boolean[ACCOUNTS];
    final StateDigest digest = StateDigests.create(BUCKETS);
    long applied;
    long lastSequence;
    boolean inOrder = true;

    @Override
    public void apply(long sequence, long epoch, ByteBuffer payload) {
      ByteBuffer p =
          payload.order() == ByteOrder.LITTLE_ENDIAN
              ? payload
              : payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int at = p.position();
      int account = p.getInt(at);
      long before = net[account];
      long after = before + p.getLong(at + 4);
      net[account] = after;
      if (seen[account]) {
        digest.replace(NET, new Net(account, before), new Net(account, after));
      } else {
        seen[account] = true;
        digest.add(NET, new Net(account, after));
      }
      inOrder &= sequence == lastSequence + 1;
      lastSequence = sequence;
      applied++;
    }

    @Override
    public void onRecord(long sequence, long epoch, long timestampMicros, ByteBuffer payload) {
      apply(sequence, epoch, payload);
    }

    @Override
    public byte[] snapshot() {
      ByteBuffer out = ByteBuffer.allocate(ACCOUNTS * 12).order(ByteOrder.LITTLE_ENDIAN);
      for (int a = 0; a < ACCOUNTS; a++) {
        if (seen[a]) {
          out.putInt(a).putLong(net[a]);
        }
      }
      return Arrays.copyOf(out.array(), out.position());
    }

    @Override
    public void restore(byte[] snapshot) {
      Arrays.fill(net, 0);
      Arrays.fill(seen, false);
      digest.clear();
      ByteBuffer in = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
      while (in.hasRemaining()) {
        int account = in.getInt();
        long qty = in.getLong();
        net[account] = qty;
        seen[account] = true;
        digest.add(NET, new Net(account, qty));
      }
    }

    @Override
    public StateDigest digest() {
      return digest;
    }
  }

  /** The floor: sums of the payloads' fields. */
  static final class Sums implements RecordHandler {
    long accounts;
    long quantities;
    long applied;
    long lastSequence;

    @Override
    public void onRecord(long sequence, long epoch, long timestampMicros, ByteBuffer payload) {
      int at = payload.position();
      accounts += payload.getInt(at);
      quantities += payload.getLong(at + 4);
      lastSequence = sequence;
      applied++;
    }
  }

  // ------------------------------------------------------------------------------ state

  /** The primary's journal, pre-filled once per trial, and what applying it must give. */
  @State(Scope.Thread)
  public static class Primary {
    Path directory;
    SimpleMeterRegistry meters;
    StabilityRuntime runtime;
    Journal journal;
    FollowerSettings followerSettings;
    long[] expectedNet;
    DigestValue expectedDigest;
    long expectedAccounts;
    long expectedQuantities;
    // set by the invocation being checked
    Book book;
    Follower follower;
    Sums sums;
    long invocations;

    @Setup(Level.Trial)
    public void setUp() {
      directory = JournalBenchmark.tempDirectory("stability-bench-follower-");
      meters = new SimpleMeterRegistry();
      ServiceIdentity identity =
          ServiceIdentity.builder()
              .systemCode("OMS")
              .subsystem("order-entry")
              .instanceId("oms-bench-01")
              .build();
      runtime = StabilityRuntime.builder(identity).meterRegistry(meters).slf4jOutput(false).build();
      Path journalDirectory = directory.resolve("journal");
      journal =
          runtime
              .journals()
              .open(
                  JournalSettings.builder("orders", journalDirectory)
                      .flush(FlushPolicy.os())
                      .build());
      Book reference = new Book();
      SplittableRandom random = new SplittableRandom(SEED);
      for (int i = 0; i < RECORDS; i++) {
        byte[] order = order(random);
        long sequence = journal.append(EPOCH, order);
        ByteBuffer p = ByteBuffer.wrap(order).order(ByteOrder.LITTLE_ENDIAN);
        reference.apply(sequence, EPOCH, p);
        expectedAccounts += p.getInt(0);
        expectedQuantities += p.getLong(4);
      }
      require(journal.lastSequence() == RECORDS, "the journal holds " + journal.lastSequence());
      long segments = JournalBenchmark.countFiles(journalDirectory, "*.seg");
      require(segments >= 2, "the journal has " + segments + " segment(s), not at least 2");
      require(
          reference.applied == RECORDS && reference.inOrder, "the reference book is incomplete");
      expectedNet = reference.net.clone();
      expectedDigest = reference.digest.value();
      StateDigest scratch = StateDigests.create(BUCKETS);
      int accounts = 0;
      for (int a = 0; a < ACCOUNTS; a++) {
        if (reference.seen[a]) {
          scratch.add(NET, new Net(a, reference.net[a]));
          accounts++;
        }
      }
      require(
          accounts > 0 && expectedDigest.count() == accounts,
          "the digest counts " + expectedDigest.count() + " positions, not " + accounts);
      require(
          scratch.value().equals(expectedDigest),
          "the incremental digest differs from one built from the final positions");
      Book restored = new Book();
      restored.restore(reference.snapshot());
      require(
          restored.digest.value().equals(expectedDigest)
              && Arrays.equals(restored.net, expectedNet),
          "a book restored from its snapshot differs");
      followerSettings = FollowerSettings.builder("standby", directory.resolve("standby")).build();
      System.out.println(
          "\nfollower: "
              + RECORDS
              + " records in "
              + segments
              + " segments in "
              + journalDirectory
              + ", "
              + accounts
              + " positions");
    }

    @TearDown(Level.Invocation)
    public void check() {
      try {
        if (follower != null) {
          follower.close();
          Optional<Throwable> failure = follower.failure();
          require(failure.isEmpty(), "the follower failed: " + failure);
          Checkpoint last = follower.lastCheckpoint().orElse(null);
          require(
              last != null && last.sequence() == RECORDS && last.digest().equals(expectedDigest),
              "the follower's last checkpoint is " + last);
        }
        if (book != null) {
          require(
              book.applied == RECORDS && book.lastSequence == RECORDS && book.inOrder,
              "the book applied " + book.applied + " records, last " + book.lastSequence);
          require(
              Arrays.equals(book.net, expectedNet) && book.digest.value().equals(expectedDigest),
              "the book's state is not the expected one: " + book.digest.value());
        }
        if (sums != null) {
          require(
              sums.applied == RECORDS
                  && sums.lastSequence == RECORDS
                  && sums.accounts == expectedAccounts
                  && sums.quantities == expectedQuantities,
              "the sums are wrong after " + sums.applied + " records");
        }
        require(book != null || sums != null, "the invocation left nothing to check");
        invocations++;
      } finally {
        book = null;
        follower = null;
        sums = null;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        require(invocations > 0, "no invocation was checked");
        System.out.println("\nfollower: " + invocations + " invocations checked");
      } finally {
        runtime.close();
        meters.close();
        journal = null;
        runtime = null;
        System.gc(); // unmaps the segments before the files are deleted
        JournalBenchmark.deleteTree(directory);
      }
    }
  }

  static void drain(JournalReader reader, RecordHandler handler) {
    long read = 0;
    while (read < RECORDS) {
      int n = reader.poll(handler, BATCH);
      require(n > 0, "the reader stopped after " + read + " records");
      read += n;
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** A follower started on an empty book, until it has applied every record. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public Book followerApply(Primary state) throws InterruptedException {
    Book book = new Book();
    state.book = book;
    Follower follower =
        state
            .runtime
            .standby()
            .follow(state.followerSettings, JournalSource.of(state.journal), book);
    state.follower = follower;
    require(
        follower.awaitApplied(RECORDS, Duration.ofSeconds(60)),
        "the follower applied " + follower.appliedSequence() + " of " + RECORDS);
    return book;
  }

  /** A reader polled on this thread, every record applied to an empty book. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public Book readerPollApply(Primary state) {
    Book book = new Book();
    state.book = book;
    try (JournalReader reader = state.journal.reader(1)) {
      drain(reader, book);
    }
    return book;
  }

  /** A reader polled on this thread, every record's fields summed. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public Sums readerPollOnly(Primary state) {
    Sums sums = new Sums();
    state.sums = sums;
    try (JournalReader reader = state.journal.reader(1)) {
      drain(reader, sums);
    }
    return sums;
  }
}
