package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Differential test: MapTradingCore and ArrayTradingCore driven with the same generated inputs
 * (many seeds, edge-heavy generator), reports compared step by step, digests every step, images and
 * query methods periodically, and snapshots moved across implementations in mid-stream (both
 * directions, into fresh cores and into cores that already hold state / many used slots).
 *
 * <p>Run: {@code mvn -B -ntp -o test -pl examples -Dtest=CoreDifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. Seeds and steps: system properties {@code diff.seeds}
 * (default 400), {@code diff.steps} (default 4000) and {@code diff.firstSeed} (default 1).
 */
class CoreDifferentialTest {

  static final int SEEDS = Integer.getInteger("diff.seeds", 400);
  static final int STEPS = Integer.getInteger("diff.steps", 4_000);
  static final long FIRST_SEED = Long.getLong("diff.firstSeed", 1);

  /** Per-seed generator knobs, so seeds differ in character (tiny books, funds pressure...). */
  static final class Gen {
    final Market market;
    final SplittableRandom r;
    final long[] accounts;
    final int instrumentSpread; // how many instruments are used
    final int priceSpread; // ticks around settlement
    final int maxQty;
    final List<long[]> recent = new ArrayList<>(); // {id, account}
    long nextId;
    final boolean reuseIds;

    Gen(Market market, long seed) {
      this.market = market;
      this.r = new SplittableRandom(seed);
      this.accounts = market.accounts();
      this.instrumentSpread = 1 + r.nextInt(market.instruments().size());
      this.priceSpread = new int[] {0, 1, 2, 5, 20}[r.nextInt(5)];
      this.maxQty = new int[] {3, 10, 60, 100}[r.nextInt(4)];
      this.reuseIds = r.nextBoolean();
    }

    long account() {
      int roll = r.nextInt(200);
      if (roll == 0) {
        return new long[] {
              0,
              -1,
              Long.MIN_VALUE,
              Long.MAX_VALUE,
              99_999_999L,
              accounts[0] - 1,
              accounts[accounts.length - 1] + 1
            }
            [r.nextInt(7)];
      }
      return accounts[r.nextInt(accounts.length)];
    }

    int instrument() {
      int roll = r.nextInt(200);
      if (roll == 0) {
        return new int[] {-1, market.instruments().size(), Integer.MAX_VALUE, Integer.MIN_VALUE}
            [r.nextInt(4)];
      }
      return r.nextInt(instrumentSpread);
    }

    byte side() {
      int roll = r.nextInt(300);
      if (roll == 0) {
        return (byte) new int[] {2, -1, 127, -128}[r.nextInt(4)];
      }
      return r.nextBoolean() ? OrderInput.BUY : OrderInput.SELL;
    }

    long price(int instrument, byte side) {
      Market.Instrument spec =
          market.instrument(Math.floorMod(instrument, market.instruments().size()));
      long lo = spec.lowerLimit();
      long hi = spec.upperLimit();
      int roll = r.nextInt(100);
      if (roll < 4) {
        return lo + r.nextInt(3); // at/near the lower edge
      } else if (roll < 8) {
        return hi - r.nextInt(3); // at/near the upper edge
      } else if (roll < 9) {
        return new long[] {lo - 1, hi + 1, 0, -1, Long.MAX_VALUE, Long.MIN_VALUE}[r.nextInt(6)];
      } else if (roll < 12) {
        return lo + r.nextLong(hi - lo + 1); // anywhere in range
      }
      return spec.settleTicks() + (priceSpread == 0 ? 0 : r.nextInt(-priceSpread, priceSpread + 1));
    }

    int qty() {
      int roll = r.nextInt(200);
      if (roll == 0) {
        return new int[] {
              0,
              -1,
              (int) market.maxOrderQty() + 1,
              Integer.MAX_VALUE,
              Integer.MIN_VALUE,
              (int) market.maxOrderQty()
            }
            [r.nextInt(6)];
      }
      if (roll < 8) {
        return (int) market.maxOrderQty() - r.nextInt(3);
      }
      return 1 + r.nextInt(maxQty);
    }

    OrderInput next() {
      int roll = r.nextInt(100);
      if (roll < 18 && !recent.isEmpty()) {
        long[] pick = recent.get(r.nextInt(recent.size()));
        long account = r.nextInt(20) == 0 ? account() : pick[1];
        long id = r.nextInt(40) == 0 ? nextId + 1_000 : pick[0];
        return OrderInput.cancel(id, account);
      }
      long id = ++nextId;
      if (!recent.isEmpty() && (roll < 21 || (reuseIds && roll < 26))) {
        id = recent.get(r.nextInt(recent.size()))[0]; // duplicate (open) or reused (closed)
      } else if (roll == 30) {
        id = new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}[r.nextInt(4)];
      }
      long account = account();
      int instrument = instrument();
      byte side = side();
      long price = price(instrument, side);
      int qty = qty();
      recent.add(new long[] {id, account});
      if (recent.size() > 64) {
        recent.remove(r.nextInt(recent.size()));
      }
      return OrderInput.limit(id, account, instrument, side, price, qty);
    }
  }

  static final class Pair {
    TradingCore a; // starts as map
    TradingCore b; // starts as array
    long sequence;
    final Map<Object, Long> seen = new HashMap<>();
    long snapshotsMoved;

    Pair(TradingCore a, TradingCore b) {
      this.a = a;
      this.b = b;
    }

    List<Execution> step(OrderInput in, String ctx) {
      sequence++;
      List<Execution> ra = new ArrayList<>();
      List<Execution> rb = new ArrayList<>();
      a.reports(ra::add);
      b.reports(rb::add);
      ByteBuffer payload = ByteBuffer.wrap(in.encode());
      a.apply(sequence, 1, payload.duplicate());
      b.apply(sequence, 1, payload.duplicate());
      assertThat(rb).as("%s reports of %s (%s vs %s)", ctx, in, a.name(), b.name()).isEqualTo(ra);
      assertThat(b.digest().value())
          .as("%s digest after %s (%s vs %s)", ctx, in, a.name(), b.name())
          .isEqualTo(a.digest().value());
      for (Execution e : ra) {
        seen.merge(e.reason() != null ? e.reason() : e.kind(), 1L, Long::sum);
      }
      long trades = ra.stream().filter(e -> e.kind() == Execution.Kind.TRADE).count();
      long levels =
          ra.stream()
              .filter(e -> e.kind() == Execution.Kind.TRADE)
              .mapToLong(Execution::priceTicks)
              .distinct()
              .count();
      if (trades >= 3) {
        seen.merge("inputs with >= 3 fills", 1L, Long::sum);
      }
      if (levels >= 2) {
        seen.merge("inputs sweeping >= 2 price levels", 1L, Long::sum);
      }
      return ra;
    }
  }

  static void compareFully(Pair p, Market market, String ctx) {
    StateImage ia = p.a.image();
    StateImage ib = p.b.image();
    assertThat(ib).as("%s image", ctx).isEqualTo(ia);
    assertThat(p.b.openOrders()).as("%s openOrders", ctx).isEqualTo(p.a.openOrders());
    assertThat(p.b.digest().buckets())
        .as("%s digest buckets", ctx)
        .isEqualTo(p.a.digest().buckets());
    assertThat(p.a.openOrders()).isEqualTo(ia.orders().size());
    assertThat(p.b.lastApplied()).isEqualTo(p.a.lastApplied());
    assertThat(p.b.snapshot()).as("%s snapshot bytes", ctx).isEqualTo(p.a.snapshot());
    for (long acc : market.accounts()) {
      assertThat(p.b.funds(acc)).isEqualTo(p.a.funds(acc));
      for (int i = 0; i < market.instruments().size(); i++) {
        assertThat(p.b.position(acc, i)).isEqualTo(p.a.position(acc, i));
      }
    }
    // Each digest must equal the digest of its own image (rebuilt from scratch).
    for (TradingCore c : List.of(p.a, p.b)) {
      TradingCore fresh = new MapTradingCore(market);
      fresh.restore(c.snapshot());
      assertThat(c.digest().value())
          .as("%s %s digest equals the digest of its own image", ctx, c.name())
          .isEqualTo(fresh.digest().value());
    }
    // Invariants of the business rules.
    for (FundsRow f : ia.funds()) {
      assertThat(f.frozen()).as("%s frozen >= 0 %s", ctx, f).isGreaterThanOrEqualTo(0);
      assertThat(f.margin()).as("%s margin >= 0 %s", ctx, f).isGreaterThanOrEqualTo(0);
    }
    for (PositionRow pr : ia.positions()) {
      assertThat(pr.longQty() == 0 || pr.shortQty() == 0).as("%s one-sided %s", ctx, pr).isTrue();
      assertThat(pr.longQty() > 0 || pr.shortQty() > 0).as("%s not flat %s", ctx, pr).isTrue();
    }
    // Frozen = sum of resting orders' margin, per account.
    Map<Long, Long> frozen = new HashMap<>();
    for (OrderRow o : ia.orders()) {
      frozen.merge(
          o.account(),
          market.instrument(o.instrument()).orderMarginPerLot(o.priceTicks()) * o.remaining(),
          Long::sum);
    }
    for (FundsRow f : ia.funds()) {
      assertThat(f.frozen())
          .as("%s frozen matches book %s", ctx, f)
          .isEqualTo(frozen.getOrDefault(f.account(), 0L));
    }
  }

  /** Moves state across implementations in one of several ways, keeping a = map-ish, b = other. */
  static void crossRestore(Pair p, Market market, SplittableRandom r) {
    int how = r.nextInt(4);
    byte[] snapA = p.a.snapshot();
    byte[] snapB = p.b.snapshot();
    switch (how) {
      case 0 -> { // fresh cores of the other kind
        TradingCore na = newLike(p.b, market);
        TradingCore nb = newLike(p.a, market);
        na.restore(snapA);
        nb.restore(snapB);
        p.a = na;
        p.b = nb;
      }
      case 1 -> { // restore in place: a gets b's snapshot and b gets a's
        p.a.restore(snapB);
        p.b.restore(snapA);
      }
      case 2 -> { // swap instances: each side continues with the other's core
        TradingCore t = p.a;
        p.a = p.b;
        p.b = t;
      }
      default -> { // fresh core of the other kind restored from its own kind's snapshot
        TradingCore nb = newLike(p.a, market);
        nb.restore(snapA);
        p.b = nb;
      }
    }
    p.snapshotsMoved++;
  }

  static TradingCore newLike(TradingCore c, Market market) {
    return c instanceof MapTradingCore ? new ArrayTradingCore(market) : new MapTradingCore(market);
  }

  static void runSeed(long seed, int steps, Map<Object, Long> allSeen) {
    SplittableRandom knobs = new SplittableRandom(seed * 31 + 7);
    int accounts = new int[] {1, 2, 3, 5, 20}[knobs.nextInt(5)];
    Market market = Market.demo(accounts);
    Gen gen = new Gen(market, seed);
    Pair p = new Pair(new MapTradingCore(market), new ArrayTradingCore(market));
    SplittableRandom control = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int step = 0; step < steps; step++) {
      OrderInput in = gen.next();
      String ctx = "seed " + seed + " step " + step;
      p.step(in, ctx);
      if (control.nextInt(250) == 0) {
        compareFully(p, market, ctx);
        crossRestore(p, market, control);
        compareFully(p, market, ctx + " after restore");
      } else if (control.nextInt(100) == 0) {
        compareFully(p, market, ctx);
      }
    }
    compareFully(p, market, "seed " + seed + " end");
    p.seen.forEach((k, v) -> allSeen.merge(k, v, Long::sum));
    allSeen.merge("cross-implementation restores", p.snapshotsMoved, Long::sum);
  }

  @Test
  void bothCoresAgreeOnManySeededEdgeHeavyStreams() {
    Map<Object, Long> seen = new HashMap<>();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      runSeed(seed, STEPS, seen);
    }
    assertThat(seen.keySet()).containsAll(List.of(Execution.Reject.values()));
    assertThat(seen.get(Execution.Kind.TRADE)).isGreaterThan(1_000L);
  }

  // ---- directed edge cases

  static final Market M = Market.demo(3);
  static final long A = M.account(0);
  static final long B = M.account(1);
  static final long C = M.account(2);

  static OrderInput buy(long id, long acc, int ins, long px, int q) {
    return OrderInput.limit(id, acc, ins, OrderInput.BUY, px, q);
  }

  static OrderInput sell(long id, long acc, int ins, long px, int q) {
    return OrderInput.limit(id, acc, ins, OrderInput.SELL, px, q);
  }

  static Pair drive(List<OrderInput> inputs) {
    Pair p = new Pair(new MapTradingCore(M), new ArrayTradingCore(M));
    for (int k = 0; k < inputs.size(); k++) {
      p.step(inputs.get(k), "directed step " + k);
      compareFully(p, M, "directed step " + k);
      // and at every step: a cross restore keeps agreeing on the rest of the stream
      Pair q = new Pair(new ArrayTradingCore(M), new MapTradingCore(M));
      q.a.restore(p.a.snapshot());
      q.b.restore(p.b.snapshot());
      q.sequence = p.sequence;
      for (int j = k + 1; j < inputs.size(); j++) {
        q.step(inputs.get(j), "cross-restored at " + k + " step " + j);
      }
      compareFully(q, M, "cross-restored at " + k + " end");
    }
    return p;
  }

  @Test
  void directedEdgeCases() {
    Market.Instrument f = M.instrument(0);
    long s = f.settleTicks();
    long lo = f.lowerLimit();
    long hi = f.upperLimit();
    List<OrderInput> in =
        new ArrayList<>(
            List.of(
                // sweep across several levels, partial fill of the last, then cancel it
                sell(1, A, 0, s, 2),
                sell(2, A, 0, s + 1, 3),
                sell(3, B, 0, s + 2, 4),
                sell(4, B, 0, s + 2, 4),
                buy(5, C, 0, s + 1, 9), // limit one tick off: takes s and s+1 only, rests 4
                buy(6, C, 0, s + 2, 6), // exactly at the best ask
                OrderInput.cancel(3, B),
                OrderInput.cancel(4, A), // not owner
                OrderInput.cancel(4, B),
                OrderInput.cancel(4, B), // unknown now
                // self-trade, closing then opening in one fill
                buy(7, A, 1, M.instrument(1).settleTicks(), 5),
                sell(8, B, 1, M.instrument(1).settleTicks(), 5), // A long 5
                sell(9, A, 1, M.instrument(1).settleTicks(), 12), // rests
                buy(10, A, 1, M.instrument(1).settleTicks(), 12), // self-trade
                sell(11, C, 1, M.instrument(1).settleTicks(), 3),
                buy(12, A, 1, M.instrument(1).settleTicks(), 8), // closes 0, opens
                sell(13, A, 1, M.instrument(1).settleTicks() - 1, 20), // closes 15, opens 5
                // edges of the price range
                buy(14, A, 2, M.instrument(2).lowerLimit(), 1),
                buy(15, B, 2, M.instrument(2).lowerLimit() + 1, 1),
                sell(16, C, 2, M.instrument(2).upperLimit(), 1),
                sell(17, C, 2, M.instrument(2).upperLimit() - 1, 1),
                sell(18, A, 2, M.instrument(2).lowerLimit(), 3), // sweeps bids to lower edge
                buy(19, B, 2, M.instrument(2).upperLimit(), 3), // sweeps asks to upper edge
                sell(20, A, 0, lo - 1, 1),
                sell(21, A, 0, hi + 1, 1),
                sell(22, A, 0, lo, 1),
                buy(23, B, 0, hi, 2),
                // rejects
                buy(24, 1, 0, s, 1),
                buy(25, A, 4, s, 1),
                buy(26, A, -1, s, 1),
                OrderInput.limit(27, A, 0, (byte) 2, s, 1),
                buy(28, A, 0, s, 0),
                buy(29, A, 0, s, 101),
                buy(29, A, 0, s, 100), // position limit (100 > 60)
                buy(30, A, 0, s - 100, 60),
                buy(31, A, 0, s - 100, 60),
                buy(32, A, 0, s - 100, 60),
                buy(33, A, 0, s - 100, 60),
                buy(34, A, 0, s - 100, 60),
                buy(37, A, 0, s - 100, 60), // funds
                buy(30, A, 0, s, 1), // duplicate
                sell(35, B, 0, s - 50, 60),
                sell(36, B, 0, s - 50, 1), // position limit after the fill
                OrderInput.cancel(30, A),
                OrderInput.cancel(31, A),
                OrderInput.cancel(32, A),
                buy(30, A, 0, s, 1) // id reused after cancel
                ));
    Pair p = drive(in);
    assertThat(p.seen.keySet()).containsAll(List.of(Execution.Reject.values()));
  }

  @Test
  void slotReuseAfterManyOrdersAndGrowth() {
    Market market = Market.demo(2);
    Pair p = new Pair(new MapTradingCore(market), new ArrayTradingCore(market));
    long a = market.account(0);
    long b = market.account(1);
    long id = 0;
    long s = market.instrument(3).settleTicks();
    SplittableRandom r = new SplittableRandom(3);
    // Grow past 1024 slots (2500 resting orders at many levels), then churn.
    for (int k = 0; k < 2_500; k++) {
      p.step(buy(++id, a, 3, s - 1 - r.nextInt(200), 1), "grow " + k);
    }
    compareFully(p, market, "grown");
    for (int round = 0; round < 20; round++) {
      for (int k = 0; k < 300; k++) {
        p.step(sell(++id, b, 3, s - 200, 1 + r.nextInt(3)), "sweep " + round);
      }
      for (int k = 0; k < 400; k++) {
        p.step(buy(++id, a, 3, s - 1 - r.nextInt(200), 1), "refill " + round);
        if (r.nextInt(3) == 0) {
          p.step(OrderInput.cancel(id - r.nextInt(50), a), "cancel " + round);
        }
      }
      compareFully(p, market, "round " + round);
      crossRestore(p, market, r);
      compareFully(p, market, "round " + round + " restored");
    }
  }

  /** A trace printer for a seed, to reproduce a failure by hand. */
  static List<OrderInput> trace(long seed, int steps) {
    SplittableRandom knobs = new SplittableRandom(seed * 31 + 7);
    int accounts = new int[] {1, 2, 3, 5, 20}[knobs.nextInt(5)];
    Gen gen = new Gen(Market.demo(accounts), seed);
    return IntStream.range(0, steps).mapToObj(k -> gen.next()).toList();
  }

  /** The harness itself finds a difference: one damaged position in the array core. */
  @Test
  void theHarnessFindsADeliberateDifference() {
    Market market = Market.demo(2);
    Pair p = new Pair(new MapTradingCore(market), new ArrayTradingCore(market));
    ((ArrayTradingCore) p.b).damagePosition(market.account(0), 0, market.positionLimit());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                p.step(
                    buy(1, market.account(0), 0, market.instrument(0).settleTicks(), 1), "damaged"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("POSITION_LIMIT");
  }
}
