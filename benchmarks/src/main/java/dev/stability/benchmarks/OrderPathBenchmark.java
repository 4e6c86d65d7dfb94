package dev.stability.benchmarks;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.consistency.HashedString;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The SDK's all-in cost per order on the example's order path ({@code TradingSystem.submit} in the
 * examples module): journal append, apply to the trading core with digest updates, capacity
 * recording, a checkpoint to the auditor every {@value #CHECKPOINT_EVERY} orders, and the
 * acknowledgement read from the journal. One op is one order; {@code sdk} switches the SDK's pieces
 * on and off around the same application work:
 *
 * <ul>
 *   <li>{@code none}: the application alone: the order encoded into its 34-byte payload, decoded,
 *       validated, risk-checked and matched, funds and positions kept. The baseline.
 *   <li>{@code journal}: plus {@code journal.append(epoch, payload)} and {@code
 *       journal.durableSequence()} (the acknowledgement) with the {@code flush} policy.
 *   <li>{@code digest}: plus the state digest: every change of a funds, position or order record is
 *       a {@code StateDigest} add, remove or replace (the encoders of the example's {@code
 *       StateRows}: numbers, decimals and {@code HashedString} instrument codes and sides).
 *   <li>{@code capacity}: plus {@code orders.record()}, {@code bandwidth.record(34)} and, when the
 *       order traded, {@code trades.record(n)}.
 *   <li>{@code digestCheckpoint}: the digest plus {@code auditor.capturePrimary(...)} every {@value
 *       #CHECKPOINT_EVERY} orders (a checkpoint needs the digest; its own cost is this line minus
 *       {@code digest}; the checkpoint object is made and compared on the auditor's thread).
 *   <li>{@code all}: every piece, as the example runs it.
 * </ul>
 *
 * <p>The SDK's share is {@code all} minus {@code none}, in ns/op and B/op ({@code -prof gc}).
 * {@code flush} is the journal's policy ({@code os}, or the example's {@code batch(64, 2 ms)});
 * {@code rows} says where the core makes the records it gives the digest: {@code inline}, in its
 * large methods as the example does, or {@code helpers}, in small methods next to the digest call
 * (whether the JIT keeps those records off the heap depends on what it inlines: see BENCHMARKS.md),
 * or {@code live}: no records made at all, the core's live state read through a reused cursor,
 * removed from the digest before each change and added after (allocation-free whatever the JIT
 * does). {@code pretouch=true} lets the journal's pretouch thread take the page faults of its next
 * pages. {@code -prof dev.stability.benchmarks.ThreadCpuProfiler} adds the order thread's own
 * allocation ({@code thread.alloc.norm}) and CPU beside the JVM's.
 *
 * <p>The application mirrors the example minimally instead of depending on the examples module
 * (which brings the testkit, ZooKeeper and the demo's dependencies): the same payload layout as
 * {@code OrderInput}, the demo market's four instruments and 1000 accounts, the same rules (side,
 * quantity, price limits, position limit, funds) and record shapes and encoders as {@code
 * StateRows}. It keeps its state in arrays and allocates nothing, so any B/op is the SDK's (or the
 * rows built for the digest). Two differences from the example, both the example's own costs: it
 * encodes into one reused buffer instead of a new {@code byte[]} per order, and it reads tick
 * values from precomputed longs instead of {@code BigDecimal} arithmetic. The flow: pairs of
 * orders, the first resting, the second crossing it fully (one trade), over random accounts,
 * instruments and prices; then the same pairs with sides swapped, so that every 16,384 orders the
 * positions and funds return to where they started.
 *
 * <p>Guard rails: {@code @Setup} and {@code @TearDown} fail the run unless the core's digest equals
 * a digest built afresh from its records (when the digest is on), the journal holds one record per
 * order, the orders indicator counted every order, and no order was rejected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OrderPathBenchmark {

  static final int CHECKPOINT_EVERY = 1000;
  static final int PAIRS = 4096;
  static final long EPOCH = 1;
  static final int LENGTH = 34;
  static final int ACCOUNTS = 1000;
  static final long FIRST_ACCOUNT = 10_000_001L;
  static final long OPENING_BALANCE = 5_000_000_000L;
  static final long MAX_QTY = 100;
  static final long POSITION_LIMIT = 60;
  static final byte NEW = 1;
  static final byte BUY = 0;
  static final byte SELL = 1;

  /** The demo market's instruments: code, tick (unscaled, scale), multiplier, settle, bp. */
  static final String[] CODES = {"IF2612", "IC2612", "T2603", "AU2612"};

  static final long[] TICK_UNSCALED = {2, 2, 5, 2};
  static final int[] TICK_SCALE = {1, 1, 3, 2};
  static final long[] TICK_VALUE_CENTS = {6_000, 4_000, 5_000, 2_000};
  static final long[] SETTLE = {19_500, 29_000, 21_600, 31_000};
  static final long[] LIMIT_BP = {1_000, 1_000, 200, 700};
  static final long[] MARGIN_BP = {1_200, 1_200, 300, 1_000};

  /** An open order (as the example's {@code StateRows.OrderRow}). */
  record OrderRow(
      long orderId, long account, int instrument, byte side, long priceTicks, long remaining) {}

  /** A position (as {@code StateRows.PositionRow}). */
  record PositionRow(long account, int instrument, long longQty, long shortQty) {}

  /** An account's funds in cents (as {@code StateRows.FundsRow}). */
  record FundsRow(long account, long balance, long frozen, long margin) {}

  static final HashedString[] CODE_WORDS = new HashedString[CODES.length];
  static final HashedString BUY_WORD = HashedString.of("BUY");
  static final HashedString SELL_WORD = HashedString.of("SELL");

  static {
    for (int i = 0; i < CODES.length; i++) {
      CODE_WORDS[i] = HashedString.of(CODES[i]);
    }
  }

  /** The example's encoders. */
  static final RecordEncoder<OrderRow> ORDERS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "order";
        }

        @Override
        public void encodeKey(OrderRow row, CanonicalWriter out) {
          out.putLong("order_id", row.orderId());
        }

        @Override
        public void encodeValue(OrderRow row, CanonicalWriter out) {
          int i = row.instrument();
          out.putLong("account", row.account());
          out.putString("instrument", CODE_WORDS[i]);
          out.putString("side", row.side() == BUY ? BUY_WORD : SELL_WORD);
          out.putDecimal("price", row.priceTicks() * TICK_UNSCALED[i], TICK_SCALE[i]);
          out.putLong("remaining", row.remaining());
        }
      };

  static final RecordEncoder<PositionRow> POSITIONS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(PositionRow row, CanonicalWriter out) {
          out.putLong("account", row.account());
          out.putString("instrument", CODE_WORDS[row.instrument()]);
        }

        @Override
        public void encodeValue(PositionRow row, CanonicalWriter out) {
          out.putLong("long", row.longQty());
          out.putLong("short", row.shortQty());
        }
      };

  static final RecordEncoder<FundsRow> FUNDS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "funds";
        }

        @Override
        public void encodeKey(FundsRow row, CanonicalWriter out) {
          out.putLong("account", row.account());
        }

        @Override
        public void encodeValue(FundsRow row, CanonicalWriter out) {
          out.putDecimal("balance", row.balance(), 2);
          out.putDecimal("frozen", row.frozen(), 2);
          out.putDecimal("margin", row.margin(), 2);
        }
      };

  /**
   * The core's live state as the digest's record: which account and instrument; the encoders below
   * read the current values from the core's arrays. The core removes the record before a change and
   * adds it after, so the digest needs no copy of the old values and nothing is made per change.
   */
  static final class Cursor {
    final Core core;
    int account;
    int instrument;

    Cursor(Core core) {
      this.core = core;
    }

    Cursor at(int account, int instrument) {
      this.account = account;
      this.instrument = instrument;
      return this;
    }
  }

  /** {@link #ORDERS} over the resting order of {@code instrument}. */
  static final RecordEncoder<Cursor> LIVE_ORDERS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "order";
        }

        @Override
        public void encodeKey(Cursor c, CanonicalWriter out) {
          out.putLong("order_id", c.core.restId[c.instrument]);
        }

        @Override
        public void encodeValue(Cursor c, CanonicalWriter out) {
          Core core = c.core;
          int i = c.instrument;
          out.putLong("account", core.restAccount[i]);
          out.putString("instrument", CODE_WORDS[i]);
          out.putString("side", core.restSide[i] == BUY ? BUY_WORD : SELL_WORD);
          out.putDecimal("price", core.restPrice[i] * TICK_UNSCALED[i], TICK_SCALE[i]);
          out.putLong("remaining", core.restQty[i]);
        }
      };

  /** {@link #POSITIONS} over an account's position in an instrument. */
  static final RecordEncoder<Cursor> LIVE_POSITIONS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(Cursor c, CanonicalWriter out) {
          out.putLong("account", FIRST_ACCOUNT + c.account);
          out.putString("instrument", CODE_WORDS[c.instrument]);
        }

        @Override
        public void encodeValue(Cursor c, CanonicalWriter out) {
          int at = c.account * CODES.length + c.instrument;
          out.putLong("long", c.core.longQty[at]);
          out.putLong("short", c.core.shortQty[at]);
        }
      };

  /** {@link #FUNDS} over an account's funds. */
  static final RecordEncoder<Cursor> LIVE_FUNDS =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "funds";
        }

        @Override
        public void encodeKey(Cursor c, CanonicalWriter out) {
          out.putLong("account", FIRST_ACCOUNT + c.account);
        }

        @Override
        public void encodeValue(Cursor c, CanonicalWriter out) {
          int a = c.account;
          out.putDecimal("balance", c.core.balance[a], 2);
          out.putDecimal("frozen", c.core.frozen[a], 2);
          out.putDecimal("margin", c.core.margin[a], 2);
        }
      };

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  static long orderMarginPerLot(int instrument, long priceTicks) {
    return priceTicks * TICK_VALUE_CENTS[instrument] * MARGIN_BP[instrument] / 10_000;
  }

  /**
   * The trading core: validation, risk check, matching against the one resting order an instrument
   * can have in this flow, funds and positions; a digest of its records when one is given.
   * Allocation-free apart from the rows it builds for the digest.
   */
  static final class Core {
    final StateDigest digest;

    /** Rows made in the core's methods as the example does (digest on), or in small helpers. */
    final boolean inlineRows;

    /** No rows: the live state, removed before a change and added after (digest on). */
    final boolean liveRows;

    final Cursor cursor = new Cursor(this);

    final long[] balance = new long[ACCOUNTS];
    final long[] frozen = new long[ACCOUNTS];
    final long[] margin = new long[ACCOUNTS];
    final long[] longQty = new long[ACCOUNTS * CODES.length];
    final long[] shortQty = new long[ACCOUNTS * CODES.length];
    final long[] restId = new long[CODES.length];
    final long[] restAccount = new long[CODES.length];
    final byte[] restSide = new byte[CODES.length];
    final long[] restPrice = new long[CODES.length];
    final long[] restQty = new long[CODES.length];
    long rejected;
    int tradesInInput;

    Core(StateDigest digest, String rows) {
      this.digest = digest;
      this.inlineRows = digest != null && rows.equals("inline");
      this.liveRows = digest != null && rows.equals("live");
      java.util.Arrays.fill(balance, OPENING_BALANCE);
      if (digest != null) {
        for (int a = 0; a < ACCOUNTS; a++) {
          digest.add(FUNDS, funds(a));
        }
      }
    }

    FundsRow funds(int a) {
      return new FundsRow(FIRST_ACCOUNT + a, balance[a], frozen[a], margin[a]);
    }

    PositionRow position(int a, int i) {
      int at = a * CODES.length + i;
      return new PositionRow(FIRST_ACCOUNT + a, i, longQty[at], shortQty[at]);
    }

    /** Decodes and executes one payload (the example's {@code TradingCore.apply}). */
    void apply(ByteBuffer p) {
      tradesInInput = 0;
      byte type = p.get(0);
      long orderId = p.getLong(1);
      long account = p.getLong(9);
      int instrument = p.getInt(17);
      byte side = p.get(21);
      long price = p.getLong(22);
      int qty = p.getInt(30);
      int a = (int) (account - FIRST_ACCOUNT);
      if (type != NEW
          || a < 0
          || a >= ACCOUNTS
          || instrument < 0
          || instrument >= CODES.length
          || (side != BUY && side != SELL)
          || qty < 1
          || qty > MAX_QTY) {
        rejected++;
        return;
      }
      long settle = SETTLE[instrument];
      long band = settle * LIMIT_BP[instrument] / 10_000;
      int at = a * CODES.length + instrument;
      long held = side == BUY ? longQty[at] : shortQty[at];
      long required = orderMarginPerLot(instrument, price) * qty;
      if (price < settle - band
          || price > settle + band
          || held + qty > POSITION_LIMIT
          || required > balance[a] - frozen[a] - margin[a]) {
        rejected++;
        return;
      }
      FundsRow before = inlineRows ? funds(a) : null;
      if (liveRows) {
        digest.remove(LIVE_FUNDS, cursor.at(a, 0));
      }
      long frozenBefore = frozen[a];
      frozen[a] += required;
      if (inlineRows) {
        digest.replace(FUNDS, before, funds(a));
      } else if (liveRows) {
        digest.add(LIVE_FUNDS, cursor.at(a, 0));
      } else if (digest != null) {
        fundsChanged(a, frozenBefore, margin[a]);
      }
      long remaining = qty;
      long makerQty = restQty[instrument];
      if (makerQty > 0
          && restSide[instrument] != side
          && (side == BUY ? restPrice[instrument] <= price : restPrice[instrument] >= price)) {
        long fill = Math.min(remaining, makerQty);
        long makerPrice = restPrice[instrument];
        int m = (int) (restAccount[instrument] - FIRST_ACCOUNT);
        OrderRow makerBefore =
            !inlineRows
                ? null
                : new OrderRow(
                    restId[instrument],
                    restAccount[instrument],
                    instrument,
                    restSide[instrument],
                    makerPrice,
                    makerQty);
        if (liveRows) {
          digest.remove(LIVE_ORDERS, cursor.at(0, instrument));
        }
        restQty[instrument] = makerQty - fill;
        remaining -= fill;
        tradesInInput++;
        if (liveRows) {
          if (restQty[instrument] != 0) {
            digest.add(LIVE_ORDERS, cursor.at(0, instrument));
          }
        } else if (!inlineRows) {
          if (digest != null) {
            orderFilled(instrument, makerQty);
          }
        } else {
          if (restQty[instrument] == 0) {
            digest.remove(ORDERS, makerBefore);
          } else {
            digest.replace(
                ORDERS,
                makerBefore,
                new OrderRow(
                    restId[instrument],
                    restAccount[instrument],
                    instrument,
                    restSide[instrument],
                    makerPrice,
                    restQty[instrument]));
          }
        }
        fill(m, instrument, restSide[instrument], makerPrice, fill);
        fill(a, instrument, side, price, fill);
      }
      if (remaining > 0) {
        if (restQty[instrument] != 0) {
          throw new IllegalStateException("two orders resting on instrument " + instrument);
        }
        restId[instrument] = orderId;
        restAccount[instrument] = account;
        restSide[instrument] = side;
        restPrice[instrument] = price;
        restQty[instrument] = remaining;
        if (inlineRows) {
          digest.add(ORDERS, new OrderRow(orderId, account, instrument, side, price, remaining));
        } else if (liveRows) {
          digest.add(LIVE_ORDERS, cursor.at(0, instrument));
        } else if (digest != null) {
          orderAdded(instrument);
        }
      }
    }

    /** One side of a fill: frozen margin released, position and position margin moved. */
    private void fill(int a, int instrument, byte side, long orderPrice, long qty) {
      int at = a * CODES.length + instrument;
      PositionRow positionBefore = inlineRows ? position(a, instrument) : null;
      long longBefore = longQty[at];
      long shortBefore = shortQty[at];
      boolean wasFlat = longBefore == 0 && shortBefore == 0;
      if (liveRows) {
        if (!wasFlat) {
          digest.remove(LIVE_POSITIONS, cursor.at(a, instrument));
        }
        digest.remove(LIVE_FUNDS, cursor.at(a, 0));
      }
      long closed;
      if (side == BUY) {
        closed = Math.min(shortQty[at], qty);
        shortQty[at] -= closed;
        longQty[at] += qty - closed;
      } else {
        closed = Math.min(longQty[at], qty);
        longQty[at] -= closed;
        shortQty[at] += qty - closed;
      }
      FundsRow fundsBefore = inlineRows ? funds(a) : null;
      long frozenBefore = frozen[a];
      long marginBefore = margin[a];
      frozen[a] -= orderMarginPerLot(instrument, orderPrice) * qty;
      margin[a] += orderMarginPerLot(instrument, SETTLE[instrument]) * (qty - 2 * closed);
      if (liveRows) {
        digest.add(LIVE_FUNDS, cursor.at(a, 0));
        if (longQty[at] != 0 || shortQty[at] != 0) {
          digest.add(LIVE_POSITIONS, cursor.at(a, instrument));
        }
        return;
      }
      if (!inlineRows) {
        if (digest != null) {
          fundsChanged(a, frozenBefore, marginBefore);
          positionChanged(a, instrument, longBefore, shortBefore);
        }
        return;
      }
      digest.replace(FUNDS, fundsBefore, funds(a));
      boolean flat = longQty[at] == 0 && shortQty[at] == 0;
      if (wasFlat) {
        if (!flat) {
          digest.add(POSITIONS, position(a, instrument));
        }
      } else if (flat) {
        digest.remove(POSITIONS, positionBefore);
      } else {
        digest.replace(POSITIONS, positionBefore, position(a, instrument));
      }
    }

    // The same digest updates, each in a small method given the values before the change, so that
    // the rows are made where the digest call is and the JIT can inline it there.

    private void fundsChanged(int a, long frozenBefore, long marginBefore) {
      digest.replace(
          FUNDS, new FundsRow(FIRST_ACCOUNT + a, balance[a], frozenBefore, marginBefore), funds(a));
    }

    private void positionChanged(int a, int i, long longBefore, long shortBefore) {
      int at = a * CODES.length + i;
      boolean wasFlat = longBefore == 0 && shortBefore == 0;
      boolean flat = longQty[at] == 0 && shortQty[at] == 0;
      if (wasFlat) {
        if (!flat) {
          digest.add(POSITIONS, position(a, i));
        }
      } else if (flat) {
        digest.remove(POSITIONS, new PositionRow(FIRST_ACCOUNT + a, i, longBefore, shortBefore));
      } else {
        digest.replace(
            POSITIONS,
            new PositionRow(FIRST_ACCOUNT + a, i, longBefore, shortBefore),
            position(a, i));
      }
    }

    private void orderFilled(int i, long remainingBefore) {
      OrderRow before =
          new OrderRow(restId[i], restAccount[i], i, restSide[i], restPrice[i], remainingBefore);
      if (restQty[i] == 0) {
        digest.remove(ORDERS, before);
      } else {
        digest.replace(
            ORDERS,
            before,
            new OrderRow(restId[i], restAccount[i], i, restSide[i], restPrice[i], restQty[i]));
      }
    }

    private void orderAdded(int i) {
      digest.add(
          ORDERS,
          new OrderRow(restId[i], restAccount[i], i, restSide[i], restPrice[i], restQty[i]));
    }

    /** A digest built afresh from the records the core holds now. */
    DigestValue recomputed() {
      StateDigest fresh = StateDigests.create(digest.bucketCount());
      for (int a = 0; a < ACCOUNTS; a++) {
        fresh.add(FUNDS, funds(a));
        for (int i = 0; i < CODES.length; i++) {
          int at = a * CODES.length + i;
          if (longQty[at] != 0 || shortQty[at] != 0) {
            fresh.add(POSITIONS, position(a, i));
          }
        }
      }
      for (int i = 0; i < CODES.length; i++) {
        if (restQty[i] > 0) {
          fresh.add(
              ORDERS,
              new OrderRow(restId[i], restAccount[i], i, restSide[i], restPrice[i], restQty[i]));
        }
      }
      return fresh.value();
    }
  }

  /** The order flow, as fields (the application's input before it is encoded). */
  static final class Flow {
    final int size = 4 * PAIRS;
    final long[] account = new long[size];
    final int[] instrument = new int[size];
    final byte[] side = new byte[size];
    final long[] price = new long[size];
    final int[] qty = new int[size];

    Flow() {
      SplittableRandom random = new SplittableRandom(2026);
      int n = 0;
      for (int p = 0; p < PAIRS; p++) {
        int i = random.nextInt(CODES.length);
        int maker = random.nextInt(ACCOUNTS);
        int taker = (maker + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        byte makerSide = random.nextBoolean() ? BUY : SELL;
        long px = SETTLE[i] + random.nextInt(-10, 11);
        int q = 1 + random.nextInt(10);
        set(n++, maker, i, makerSide, px, q);
        set(n++, taker, i, (byte) (1 - makerSide), px, q);
      }
      // The same pairs with the sides swapped: every position and fund returns to its start.
      for (int k = 0; k < 2 * PAIRS; k++) {
        set(
            n++,
            (int) (account[k] - FIRST_ACCOUNT),
            instrument[k],
            (byte) (1 - side[k]),
            price[k],
            qty[k]);
      }
    }

    private void set(int n, int a, int i, byte s, long px, int q) {
      account[n] = FIRST_ACCOUNT + a;
      instrument[n] = i;
      side[n] = s;
      price[n] = px;
      qty[n] = q;
    }
  }

  /** The order path with the SDK's pieces on or off. */
  @State(Scope.Thread)
  public static class OrderPath {
    /** Which SDK pieces are on (see the class comment). */
    @Param({"none", "journal", "digest", "capacity", "digestCheckpoint", "all"})
    public String sdk;

    /**
     * Where the digest's rows are made: {@code inline}, in the core's methods, as the example does;
     * {@code helpers}, in small methods given the values before the change; {@code live}, none: the
     * core's live state is the record, removed from the digest before a change and added after.
     */
    @Param({"inline", "helpers", "live"})
    public String rows;

    /** The journal's flush policy: {@code os} or the example's {@code batch} (64, 2 ms). */
    @Param({"os", "batch"})
    public String flush;

    /**
     * Whether the journal's pages are touched ahead of the appender by its pretouch thread ({@code
     * JournalSettings.Builder.pretouch}): {@code false} (the default) or {@code true}.
     */
    @Param({"false"})
    public boolean pretouch;

    boolean journalOn;
    boolean capacityOn;
    boolean checkpointOn;
    Path directory;
    SimpleMeterRegistry meters;
    StabilityRuntime runtime;
    Journal journal;
    CapacityIndicator orders;
    CapacityIndicator trades;
    CapacityIndicator bandwidth;
    CheckpointAuditor auditor;
    Core core;
    Flow flow;
    final ByteBuffer payload = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    long nextOrderId;
    long sequence;
    long acknowledged;
    long submitted;
    long checkpoints;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      boolean digestOn =
          switch (sdk) {
            case "none", "journal", "capacity" -> false;
            case "digest", "digestCheckpoint", "all" -> true;
            default -> throw new IllegalArgumentException("unknown sdk " + sdk);
          };
      journalOn = sdk.equals("journal") || sdk.equals("all");
      capacityOn = sdk.equals("capacity") || sdk.equals("all");
      checkpointOn = sdk.equals("digestCheckpoint") || sdk.equals("all");
      FlushPolicy policy =
          switch (flush) {
            case "os" -> FlushPolicy.os();
            case "batch" -> FlushPolicy.batch(64, Duration.ofMillis(2));
            default -> throw new IllegalArgumentException("unknown flush " + flush);
          };
      directory = JournalBenchmark.tempDirectory("stability-bench-orderpath-");
      meters = new SimpleMeterRegistry();
      // The runtime and journal exist in every variant, so the same threads run beside each.
      runtime =
          StabilityRuntime.builder(
                  ServiceIdentity.builder()
                      .systemCode("FUT")
                      .subsystem("core")
                      .instanceId("fut-bench-01")
                      .build())
              .meterRegistry(meters)
              .slf4jOutput(false)
              .capacity(
                  CapacitySettings.builder()
                      .indicators("orders", "trades", "bandwidth")
                      .requiredMultiple("bandwidth", 2)
                      .build())
              .build();
      journal =
          runtime
              .journals()
              .open(
                  JournalSettings.builder("orders", directory.resolve("journal"))
                      .segmentSize(64 << 20)
                      .flush(policy)
                      .pretouch(pretouch)
                      .build());
      orders = runtime.capacity().indicator("orders");
      trades = runtime.capacity().indicator("trades");
      bandwidth = runtime.capacity().indicator("bandwidth");
      auditor = runtime.consistency().auditor();
      core =
          new Core(
              digestOn ? StateDigests.create(64) : null,
              switch (rows) {
                case "inline", "helpers", "live" -> rows;
                default -> throw new IllegalArgumentException("unknown rows " + rows);
              });
      flow = new Flow();
      for (int i = 0; i < flow.size; i++) {
        submit();
      }
      check("setup");
      System.out.println("\norder path " + sdk + "/" + flush + ": journal in " + directory);
    }

    /** One order through the path (the example's {@code TradingSystem.submit}). */
    long submit() {
      int n = next;
      next = n + 1 == flow.size ? 0 : n + 1;
      ByteBuffer p = payload;
      p.put(0, NEW)
          .putLong(1, ++nextOrderId)
          .putLong(9, flow.account[n])
          .putInt(17, flow.instrument[n])
          .put(21, flow.side[n])
          .putLong(22, flow.price[n])
          .putInt(30, flow.qty[n]);
      long seq = journalOn ? journal.append(EPOCH, p) : sequence + 1;
      sequence = seq;
      core.apply(p);
      if (capacityOn) {
        orders.record();
        bandwidth.record(LENGTH);
        if (core.tradesInInput > 0) {
          trades.record(core.tradesInInput);
        }
      }
      if (checkpointOn && seq % CHECKPOINT_EVERY == 0) {
        auditor.capturePrimary("primary", seq, EPOCH, core.digest);
        checkpoints++;
      }
      long ack = journalOn ? journal.durableSequence() : seq;
      acknowledged = ack;
      submitted++;
      return ack;
    }

    void check(String when) {
      require(core.rejected == 0, when + ": " + core.rejected + " orders rejected");
      if (core.digest != null) {
        require(
            core.digest.value().equals(core.recomputed()),
            when + ": the digest kept per mutation differs from one built from the records");
      }
      if (journalOn) {
        require(
            journal.lastSequence() == submitted,
            when + ": journal at " + journal.lastSequence() + " after " + submitted + " orders");
      }
      if (capacityOn) {
        require(
            orders.total() == submitted,
            when + ": the orders indicator says " + orders.total() + ", not " + submitted);
      }
      require(
          !checkpointOn || checkpoints == submitted / CHECKPOINT_EVERY,
          when + ": " + checkpoints + " checkpoints for " + submitted + " orders");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        check("teardown");
        System.out.println(
            "\norder path "
                + sdk
                + "/"
                + flush
                + ": "
                + submitted
                + " orders, "
                + checkpoints
                + " checkpoints, "
                + (long) meters.get("stability.consistency.captures.direct").counter().count()
                + " of them submitted on the order thread (capture slots full)"
                + (pretouch ? ", journal pretouched" : ""));
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

  /** One order through the path. */
  @Benchmark
  public long order(OrderPath state) {
    return state.submit();
  }
}
