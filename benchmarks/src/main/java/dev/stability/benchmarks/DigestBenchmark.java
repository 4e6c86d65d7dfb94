package dev.stability.benchmarks;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.HashedString;
import dev.stability.core.consistency.StateDigests;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of keeping a {@link StateDigest} up to date: one mutation of a position-like record of six
 * fields (account {@code "A0012345"} and instrument {@code "IF2612"} as the key, long and short
 * quantity, average price, frozen flag), against what a user might otherwise compute, in the same
 * run. Single thread: a digest is updated by the thread that mutates the state, by contract.
 *
 * <ul>
 *   <li>{@code replaceRecord}: {@code digest.replace(encoder, before, after)}, the call a state
 *       machine makes when a record changes. It is remove then add, so it hashes the record
 *       <b>twice</b> (the old and the new version). The price is written with {@code
 *       putDecimal(name, long unscaled, 4)} (a long of 1/10000, the allocation-free form).
 *   <li>{@code addRecord}: {@code digest.add(encoder, record)} of the same record: <b>one</b>
 *       record hash and the additions into the total and the bucket. {@code remove} is the same
 *       work with subtractions.
 *   <li>{@code addRecordBigDecimal}: {@code add} of the same record with the price as a {@code
 *       BigDecimal} without trailing zeros ({@code 3999.85}), through {@code putDecimal(name,
 *       BigDecimal)}.
 *   <li>{@code addRecordBigDecimalTrailingZeros}: the same with trailing zeros to strip ({@code
 *       3999.8500}, a scale-4 price): the same value, so the same canonical word.
 *   <li>{@code javaHashCode}: {@code Objects.hash} of the six fields summed into a field, what a
 *       naive user might write (varargs array and boxed longs; a 32-bit, order-dependent hash that
 *       reads the strings' cached hash codes instead of their characters).
 *   <li>{@code plainLongSum}: adding two precomputed longs (a record's two hash halves) to two
 *       fields: the floor, the digest's own additions without hashing anything.
 * </ul>
 *
 * <p>Every benchmark alternates between two pre-built versions of the position (same key, other
 * quantities, price and flag), so every call hashes a record that differs from the last one; the
 * records are built once in {@code @Setup}, only the digest update is measured. The digest
 * benchmarks' {@code @Setup} fails the run unless the three price shapes give the same digest, the
 * two versions give different ones in the same bucket, remove undoes add and replace equals remove
 * plus add; their {@code @TearDown} fails it unless the digest holds exactly the sum of what the
 * benchmark put in (a broken or skipped update would show there). "Per mutation" in BENCHMARKS.md:
 * one record hash ({@code add}, {@code remove}) or one changed record ({@code replace}, two
 * hashes).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DigestBenchmark {

  static final int BUCKETS = 1024;
  static final String ACCOUNT = "A0012345";
  static final String INSTRUMENT = "IF2612";

  /** A position with its price as a long of 1/10000 (the allocation-free shape). */
  record Position(
      String account,
      String instrument,
      long longQty,
      long shortQty,
      long avgPrice4,
      boolean frozen) {}

  /** The same position with a BigDecimal price. */
  record PricedPosition(
      String account,
      String instrument,
      long longQty,
      long shortQty,
      BigDecimal avgPrice,
      boolean frozen) {}

  static final RecordEncoder<Position> POSITION =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(Position p, CanonicalWriter out) {
          out.putString("account", p.account());
          out.putString("instrument", p.instrument());
        }

        @Override
        public void encodeValue(Position p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice4(), 4);
          out.putBoolean("frozen", p.frozen());
        }
      };

  static final RecordEncoder<PricedPosition> PRICED =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(PricedPosition p, CanonicalWriter out) {
          out.putString("account", p.account());
          out.putString("instrument", p.instrument());
        }

        @Override
        public void encodeValue(PricedPosition p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice());
          out.putBoolean("frozen", p.frozen());
        }
      };

  /** Two versions of one position (same key). */
  static Position[] versions() {
    return new Position[] {
      new Position(ACCOUNT, INSTRUMENT, 1_200, 300, 39_998_500L, false),
      new Position(ACCOUNT, INSTRUMENT, 1_500, 300, 40_012_500L, true)
    };
  }

  /** {@code p} with a BigDecimal price, trailing zeros stripped ({@code 3999.85}) or not. */
  static PricedPosition priced(Position p, boolean trailingZeros) {
    BigDecimal price = BigDecimal.valueOf(p.avgPrice4(), 4);
    if (!trailingZeros) {
      price = price.stripTrailingZeros();
    }
    return new PricedPosition(
        p.account(), p.instrument(), p.longQty(), p.shortQty(), price, p.frozen());
  }

  static <R> DigestValue digestOf(RecordEncoder<R> encoder, R record) {
    StateDigest digest = StateDigests.create(BUCKETS);
    digest.add(encoder, record);
    return digest.value();
  }

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  /** Fails the run unless the digest does what the benchmarks rely on. */
  static void requireWorkingDigest() {
    Position[] v = versions();
    DigestValue a = digestOf(POSITION, v[0]);
    DigestValue b = digestOf(POSITION, v[1]);
    require(a.count() == 1 && !a.equals(DigestValue.EMPTY), "add did not change the digest");
    require(!a.equals(b), "two versions of the position have the same digest: " + a);
    for (int i = 0; i < 2; i++) {
      DigestValue expected = digestOf(POSITION, v[i]);
      require(
          digestOf(PRICED, priced(v[i], false)).equals(expected)
              && digestOf(PRICED, priced(v[i], true)).equals(expected),
          "the BigDecimal price shapes do not give the long shape's digest");
    }
    require(
        priced(v[0], false).avgPrice().scale() == 2 && priced(v[0], true).avgPrice().scale() == 4,
        "the BigDecimal prices are not 3999.85 and 3999.8500");
    StateDigest digest = StateDigests.create(BUCKETS);
    require(
        digest.bucketOf(POSITION, v[0]) == digest.bucketOf(POSITION, v[1]),
        "the two versions have different keys");
    digest.add(POSITION, v[0]);
    digest.replace(POSITION, v[0], v[1]);
    require(digest.value().equals(b), "replace is not remove then add");
    digest.remove(POSITION, v[1]);
    require(
        digest.value().equals(DigestValue.EMPTY)
            && digest.bucket(digest.bucketOf(POSITION, v[1])).equals(DigestValue.EMPTY),
        "remove does not undo add: " + digest.value());
  }

  /**
   * The digest of {@code n} adds alternating between {@code a} and {@code b}, starting with {@code
   * a}: the sums are exact modulo 2^64, so this is what the digest must hold.
   */
  static DigestValue alternatingSum(DigestValue a, DigestValue b, long n) {
    long na = (n + 1) / 2;
    long nb = n / 2;
    return new DigestValue(n, na * a.high() + nb * b.high(), na * a.low() + nb * b.low());
  }

  // ------------------------------------------------------------------------------ states

  /** A digest holding one version of the position; every call replaces it by the other. */
  @State(Scope.Thread)
  public static class Replacing {
    StateDigest digest;
    Position[] versions;
    int current;

    @Setup
    public void setUp() {
      requireWorkingDigest();
      versions = versions();
      digest = StateDigests.create(BUCKETS);
      digest.add(POSITION, versions[0]);
      current = 0;
    }

    @TearDown
    public void tearDown() {
      require(
          digest.value().equals(digestOf(POSITION, versions[current])),
          "replaceRecord: the digest does not hold exactly the current version: " + digest);
    }
  }

  /** An empty digest to which every call adds the next version (alternating). */
  @State(Scope.Thread)
  public static class Adding {
    StateDigest digest;
    Position[] versions;
    long calls;

    @Setup
    public void setUp() {
      requireWorkingDigest();
      versions = versions();
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      DigestValue expected =
          alternatingSum(digestOf(POSITION, versions[0]), digestOf(POSITION, versions[1]), calls);
      require(
          calls > 0 && digest.value().equals(expected),
          "addRecord: the digest " + digest.value() + " is not the sum of " + calls + " adds");
    }
  }

  /** A position keyed by numbers (account number, instrument index), as many matching cores do. */
  record NumericPosition(
      long account, long instrument, long longQty, long shortQty, long avgPrice4, boolean frozen) {}

  static final RecordEncoder<NumericPosition> NUMERIC =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(NumericPosition p, CanonicalWriter out) {
          out.putLong("account", p.account());
          out.putLong("instrument", p.instrument());
        }

        @Override
        public void encodeValue(NumericPosition p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice4(), 4);
          out.putBoolean("frozen", p.frozen());
        }
      };

  /** Two versions of a numerically keyed position, and a digest to add them to. */
  @State(Scope.Thread)
  public static class AddingNumeric {
    StateDigest digest;
    NumericPosition[] versions;
    long calls;

    @Setup
    public void setUp() {
      versions =
          new NumericPosition[] {
            new NumericPosition(12345, 2612, 20, 10, 39998500, false),
            new NumericPosition(12345, 2612, 21, 10, 39999000, false)
          };
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      require(
          calls > 0 && digest.value().count() == calls,
          "addNumericRecord: the digest counts " + digest.value().count() + " of " + calls);
    }
  }

  /** A position keyed by account number and instrument code, as the example's trading cores. */
  record MixedPosition(
      long account,
      String instrument,
      long longQty,
      long shortQty,
      long avgPrice4,
      boolean frozen) {}

  static final RecordEncoder<MixedPosition> MIXED =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(MixedPosition p, CanonicalWriter out) {
          out.putLong("account", p.account());
          out.putString("instrument", p.instrument());
        }

        @Override
        public void encodeValue(MixedPosition p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice4(), 4);
          out.putBoolean("frozen", p.frozen());
        }
      };

  /** Two versions of a position keyed by account number and instrument code. */
  @State(Scope.Thread)
  public static class AddingMixed {
    StateDigest digest;
    MixedPosition[] versions;
    long calls;

    @Setup
    public void setUp() {
      versions =
          new MixedPosition[] {
            new MixedPosition(12345, INSTRUMENT, 20, 10, 39998500, false),
            new MixedPosition(12345, INSTRUMENT, 21, 10, 39999000, false)
          };
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      DigestValue expected =
          alternatingSum(digestOf(MIXED, versions[0]), digestOf(MIXED, versions[1]), calls);
      require(
          calls > 0 && digest.value().equals(expected),
          "addMixedKeyRecord: the digest " + digest.value() + " is not the sum of " + calls);
    }
  }

  /** An order keyed by its id: six numeric fields. */
  record NumericOrder(
      long orderId, long account, long instrument, long price4, long remaining, boolean buy) {}

  static final RecordEncoder<NumericOrder> ORDER =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "order";
        }

        @Override
        public void encodeKey(NumericOrder o, CanonicalWriter out) {
          out.putLong("order_id", o.orderId());
        }

        @Override
        public void encodeValue(NumericOrder o, CanonicalWriter out) {
          out.putLong("account", o.account());
          out.putLong("instrument", o.instrument());
          out.putDecimal("price", o.price4(), 4);
          out.putLong("remaining", o.remaining());
          out.putBoolean("buy", o.buy());
        }
      };

  /** Funds keyed by account: six numeric fields. */
  record NumericFunds(
      long account, long balance2, long frozen2, long margin2, long fees2, boolean active) {}

  static final RecordEncoder<NumericFunds> FUNDS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "funds";
        }

        @Override
        public void encodeKey(NumericFunds f, CanonicalWriter out) {
          out.putLong("account", f.account());
        }

        @Override
        public void encodeValue(NumericFunds f, CanonicalWriter out) {
          out.putDecimal("balance", f.balance2(), 2);
          out.putDecimal("frozen", f.frozen2(), 2);
          out.putDecimal("margin", f.margin2(), 2);
          out.putDecimal("fees", f.fees2(), 2);
          out.putBoolean("active", f.active());
        }
      };

  /**
   * Three record types of six numeric fields through one digest, in turn, as a state machine that
   * updates orders, positions and funds does: the encoder calls are megamorphic, so the JIT cannot
   * fold a record's layout into the update as it does when one type is measured alone.
   */
  @State(Scope.Thread)
  public static class AddingThreeTypes {
    StateDigest digest;
    NumericPosition position = new NumericPosition(12345, 2612, 20, 10, 39998500, false);
    NumericOrder order = new NumericOrder(77_000_001, 12345, 2612, 39998500, 3, true);
    NumericFunds funds =
        new NumericFunds(12345, 5_000_000_000L, 120_000_00L, 80_000_00L, 1250, true);

    /** The encoders and records as a generic state machine holds them (not constants). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    RecordEncoder<Object>[] encoders = new RecordEncoder[] {NUMERIC, ORDER, FUNDS};

    Object[] records = {position, order, funds};
    long calls;

    @Setup
    public void setUp() {
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      long each = calls / 3;
      DigestValue p = digestOf(NUMERIC, position);
      DigestValue o = digestOf(ORDER, order);
      DigestValue f = digestOf(FUNDS, funds);
      long rest = calls % 3;
      DigestValue expected =
          new DigestValue(
              calls,
              (each + (rest > 0 ? 1 : 0)) * p.high()
                  + (each + (rest > 1 ? 1 : 0)) * o.high()
                  + each * f.high(),
              (each + (rest > 0 ? 1 : 0)) * p.low()
                  + (each + (rest > 1 ? 1 : 0)) * o.low()
                  + each * f.low());
      require(
          calls > 0 && digest.value().equals(expected),
          "addThreeTypes: the digest " + digest.value() + " is not the sum of " + calls);
    }
  }

  /**
   * Many positions, added in turn: 4096 instruments over 500 accounts, more strings than a digest's
   * string cache has slots (256), as a book of many instruments holds them. The same positions
   * three ways: key fields as {@code String}s (every record its own objects, as records built from
   * parsed messages hold them), as {@link HashedString}s (one per distinct value, as the class
   * advises), and as numbers. Each benchmark has its own digest and count.
   */
  @State(Scope.Thread)
  public static class AddingMany {
    static final int RECORDS = 4096;
    Position[] strings = new Position[RECORDS];
    HashedPosition[] hashed = new HashedPosition[RECORDS];
    NumericPosition[] numeric = new NumericPosition[RECORDS];
    StateDigest stringDigest = StateDigests.create(BUCKETS);
    StateDigest hashedDigest = StateDigests.create(BUCKETS);
    StateDigest numericDigest = StateDigests.create(BUCKETS);
    long stringCalls;
    long hashedCalls;
    long numericCalls;

    @Setup
    public void setUp() {
      HashedString[] accounts = new HashedString[500];
      for (int a = 0; a < 500; a++) {
        accounts[a] = HashedString.of(account(a));
      }
      // One loop per set, so that each set's objects lie together, as one book's would.
      for (int i = 0; i < RECORDS; i++) {
        strings[i] =
            new Position(
                account(i % 500),
                "IF" + (2_000_000 + i),
                100 + i,
                i % 7,
                39_998_500L + i,
                i % 2 == 0);
      }
      for (int i = 0; i < RECORDS; i++) {
        Position p = strings[i];
        hashed[i] =
            new HashedPosition(
                accounts[i % 500],
                HashedString.of(p.instrument()),
                p.longQty(),
                p.shortQty(),
                p.avgPrice4(),
                p.frozen());
      }
      for (int i = 0; i < RECORDS; i++) {
        Position p = strings[i];
        numeric[i] =
            new NumericPosition(
                12_000 + i % 500,
                2_000_000 + i,
                p.longQty(),
                p.shortQty(),
                p.avgPrice4(),
                p.frozen());
      }
    }

    /** A new string object for account number {@code a}. */
    static String account(int a) {
      return String.format("A%07d", 12_000 + a);
    }

    @TearDown
    public void tearDown() {
      // Hashed positions must hash as the String ones: both checked against the String encoder.
      requireSumOf("addManyStringKeyed", stringDigest, stringCalls, POSITION, strings);
      requireSumOf("addManyHashedKeyed", hashedDigest, hashedCalls, POSITION, strings);
      requireSumOf("addManyNumericKeyed", numericDigest, numericCalls, NUMERIC, numeric);
    }

    /** Fails unless {@code digest} holds {@code calls} adds of {@code records} in turn, if any. */
    static <R> void requireSumOf(
        String benchmark, StateDigest digest, long calls, RecordEncoder<R> encoder, R[] records) {
      if (calls == 0 && digest.value().count() == 0) {
        return; // another benchmark of this state ran
      }
      StateDigest cycle = StateDigests.create(BUCKETS);
      StateDigest rest = StateDigests.create(BUCKETS);
      for (int i = 0; i < RECORDS; i++) {
        cycle.add(encoder, records[i]);
        if (i < calls % RECORDS) {
          rest.add(encoder, records[i]);
        }
      }
      long cycles = calls / RECORDS;
      DigestValue c = cycle.value();
      DigestValue expected =
          new DigestValue(c.count() * cycles, c.high() * cycles, c.low() * cycles)
              .plus(rest.value());
      require(
          calls > 0 && digest.value().equals(expected),
          benchmark + ": the digest " + digest.value() + " is not the sum of " + calls + " adds");
    }
  }

  /** The position with its key fields as {@link HashedString}s. */
  record HashedPosition(
      HashedString account,
      HashedString instrument,
      long longQty,
      long shortQty,
      long avgPrice4,
      boolean frozen) {

    static HashedPosition of(Position p) {
      return new HashedPosition(
          HashedString.of(p.account()),
          HashedString.of(p.instrument()),
          p.longQty(),
          p.shortQty(),
          p.avgPrice4(),
          p.frozen());
    }
  }

  static final RecordEncoder<HashedPosition> HASHED =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(HashedPosition p, CanonicalWriter out) {
          out.putString("account", p.account());
          out.putString("instrument", p.instrument());
        }

        @Override
        public void encodeValue(HashedPosition p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice4(), 4);
          out.putBoolean("frozen", p.frozen());
        }
      };

  /** As {@link Adding}, with the key fields as {@link HashedString}s. */
  @State(Scope.Thread)
  public static class AddingHashed {
    StateDigest digest;
    HashedPosition[] versions;
    long calls;

    @Setup
    public void setUp() {
      Position[] v = versions();
      versions = new HashedPosition[] {HashedPosition.of(v[0]), HashedPosition.of(v[1])};
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      Position[] v = versions();
      DigestValue expected =
          alternatingSum(digestOf(POSITION, v[0]), digestOf(POSITION, v[1]), calls);
      require(
          calls > 0 && digest.value().equals(expected),
          "addHashedKeyRecord: the digest " + digest.value() + " is not the sum of " + calls);
    }
  }

  /** As {@link Adding}, with BigDecimal prices with and without trailing zeros. */
  @State(Scope.Thread)
  public static class AddingPriced {
    StateDigest digest;
    PricedPosition[] stripped;
    PricedPosition[] trailingZeros;
    long calls;

    @Setup
    public void setUp() {
      requireWorkingDigest();
      Position[] v = versions();
      stripped = new PricedPosition[] {priced(v[0], false), priced(v[1], false)};
      trailingZeros = new PricedPosition[] {priced(v[0], true), priced(v[1], true)};
      digest = StateDigests.create(BUCKETS);
    }

    @TearDown
    public void tearDown() {
      Position[] v = versions();
      DigestValue expected =
          alternatingSum(digestOf(POSITION, v[0]), digestOf(POSITION, v[1]), calls);
      require(
          calls > 0 && digest.value().equals(expected),
          "addRecordBigDecimal: the digest " + digest.value() + " is not the sum of " + calls);
    }
  }

  /** The naive alternative: Objects.hash of the fields, summed. */
  @State(Scope.Thread)
  public static class NaiveHash {
    Position[] versions;
    long calls;
    long sum;

    @Setup
    public void setUp() {
      versions = versions();
    }

    @TearDown
    public void tearDown() {
      require(calls > 0 && sum != 0, "javaHashCode: nothing was summed");
    }
  }

  /** The floor: two precomputed record-hash halves added to two fields. */
  @State(Scope.Thread)
  public static class Sums {
    long[] highs;
    long[] lows;
    long calls;
    long high;
    long low;

    @Setup
    public void setUp() {
      Position[] v = versions();
      DigestValue a = digestOf(POSITION, v[0]);
      DigestValue b = digestOf(POSITION, v[1]);
      highs = new long[] {a.high(), b.high()};
      lows = new long[] {a.low(), b.low()};
    }

    @TearDown
    public void tearDown() {
      DigestValue expected =
          alternatingSum(
              new DigestValue(1, highs[0], lows[0]), new DigestValue(1, highs[1], lows[1]), calls);
      require(
          calls > 0 && high == expected.high() && low == expected.low(),
          "plainLongSum: the sums are wrong");
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** One record changed: remove the old version, add the new one (two record hashes). */
  @Benchmark
  public void replaceRecord(Replacing state) {
    int current = state.current;
    int next = current ^ 1;
    state.digest.replace(POSITION, state.versions[current], state.versions[next]);
    state.current = next;
  }

  /** One record added (one record hash). */
  @Benchmark
  public void addRecord(Adding state) {
    state.digest.add(POSITION, state.versions[(int) (state.calls++ & 1)]);
  }

  /** The position with its key fields as HashedStrings added: one record hash. */
  @Benchmark
  public void addHashedKeyRecord(AddingHashed state) {
    state.digest.add(HASHED, state.versions[(int) (state.calls++ & 1)]);
  }

  /** One of 4096 positions keyed by account and instrument strings added, in turn. */
  @Benchmark
  public void addManyStringKeyed(AddingMany state) {
    state.stringDigest.add(
        POSITION, state.strings[(int) (state.stringCalls++ % AddingMany.RECORDS)]);
  }

  /** The same positions keyed by HashedStrings. */
  @Benchmark
  public void addManyHashedKeyed(AddingMany state) {
    state.hashedDigest.add(HASHED, state.hashed[(int) (state.hashedCalls++ % AddingMany.RECORDS)]);
  }

  /** The same positions keyed by numbers. */
  @Benchmark
  public void addManyNumericKeyed(AddingMany state) {
    state.numericDigest.add(
        NUMERIC, state.numeric[(int) (state.numericCalls++ % AddingMany.RECORDS)]);
  }

  /** One numerically keyed record of six fields added: one record hash. */
  @Benchmark
  public void addNumericRecord(AddingNumeric state) {
    state.digest.add(NUMERIC, state.versions[(int) (state.calls++ & 1)]);
  }

  /** One position keyed by account number and instrument code added: one record hash. */
  @Benchmark
  public void addMixedKeyRecord(AddingMixed state) {
    state.digest.add(MIXED, state.versions[(int) (state.calls++ & 1)]);
  }

  /** One record of one of three numeric types added, the types in turn: one record hash. */
  @Benchmark
  public void addThreeTypes(AddingThreeTypes state) {
    int type = (int) (state.calls++ % 3);
    state.digest.add(state.encoders[type], state.records[type]);
  }

  /** One record added, price as a BigDecimal without trailing zeros. */
  @Benchmark
  public void addRecordBigDecimal(AddingPriced state) {
    state.digest.add(PRICED, state.stripped[(int) (state.calls++ & 1)]);
  }

  /** One record added, price as a BigDecimal with trailing zeros to strip. */
  @Benchmark
  public void addRecordBigDecimalTrailingZeros(AddingPriced state) {
    state.digest.add(PRICED, state.trailingZeros[(int) (state.calls++ & 1)]);
  }

  /** Objects.hash of the six fields, summed into a field. */
  @Benchmark
  public void javaHashCode(NaiveHash state) {
    Position p = state.versions[(int) (state.calls++ & 1)];
    state.sum +=
        Objects.hash(
            p.account(), p.instrument(), p.longQty(), p.shortQty(), p.avgPrice4(), p.frozen());
  }

  /** Two longs added to two fields. */
  @Benchmark
  public void plainLongSum(Sums state) {
    int i = (int) (state.calls++ & 1);
    state.high += state.highs[i];
    state.low += state.lows[i];
  }
}
