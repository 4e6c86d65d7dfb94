package dev.stability.benchmarks;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.Replay;
import dev.stability.core.consistency.ReplayReport;
import dev.stability.core.consistency.StateDigests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay comparison throughput, in records (inputs) per second: {@value #ORDERS} pre-generated
 * orders fed through two trivial implementations of a net-position book, the same pair as
 * stability-core's {@code ReplayTest}: a {@code HashMap<Integer, Long>} book (the "primary") and a
 * {@code TreeMap<Integer, long[]>} book (the "standby"), each keeping its own {@link StateDigest}
 * (64 buckets) of {@code net(account, qty)} records, {@code replace} when a position changes and
 * {@code add} when it appears. Every invocation starts from two empty books, as a replay does, and
 * returns the report; {@code @OperationsPerInvocation} makes JMH's ops/s records/s.
 *
 * <ul>
 *   <li>{@code replayWithDigests}: {@code Replay.of(name, primary::apply, standby::apply)
 *       .digests(primary::digest, standby::digest, 10_000).build().run(orders.iterator())}: both
 *       books, their outputs compared on every input ({@code Objects.equals} of two {@code Long}s),
 *       both digests updated on every input and compared every 10,000 inputs and at the end.
 *   <li>{@code replayWithoutDigests}: the same replay with books that keep no digest and no digest
 *       comparison: outputs only. The difference is what the digests cost in a replay.
 *   <li>{@code loopWithDigests}: the books with digests driven by a hand-written loop (apply both,
 *       compare outputs, compare digests every 10,000) instead of {@code Replay}: the harness's own
 *       cost is the difference with {@code replayWithDigests}.
 * </ul>
 *
 * <p>{@code @Setup} fails the run unless a replay of the orders matches with 10 digest checkpoints
 * and non-empty, equal digests, and unless a standby with a planted bug (it loses sells of exactly
 * 999 lots) is caught both by the output comparison and, with outputs deemed equal, by the digest
 * comparison alone. Every invocation fails if its replay did not match all {@value #ORDERS} inputs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplayBenchmark {

  static final int ORDERS = 100_000;
  static final int DIGEST_EVERY = 10_000;
  static final int ACCOUNTS = 5000;
  static final int BUCKETS = 64;
  static final long SEED = 2026;

  record Order(long seq, int account, int qty) {}

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

  /** The primary: a HashMap of net positions; digest optional. */
  static final class HashBook {
    final Map<Integer, Long> net = new HashMap<>();
    final StateDigest digest;

    HashBook(boolean withDigest) {
      digest = withDigest ? StateDigests.create(BUCKETS) : null;
    }

    Long apply(Order order) {
      Long before = net.get(order.account());
      long after = (before == null ? 0 : before) + order.qty();
      net.put(order.account(), after);
      if (digest != null) {
        if (before == null) {
          digest.add(NET, new Net(order.account(), after));
        } else {
          digest.replace(NET, new Net(order.account(), before), new Net(order.account(), after));
        }
      }
      return after;
    }
  }

  /** The standby: a TreeMap of mutable cells; digest optional; {@code buggy} loses -999 sells. */
  static final class TreeBook {
    final TreeMap<Integer, long[]> net = new TreeMap<>();
    final StateDigest digest;
    final boolean buggy;

    TreeBook(boolean withDigest, boolean buggy) {
      this.digest = withDigest ? StateDigests.create(BUCKETS) : null;
      this.buggy = buggy;
    }

    Long apply(Order order) {
      long[] cell = net.get(order.account());
      if (cell == null) {
        cell = new long[1];
        net.put(order.account(), cell);
      } else if (digest != null) {
        digest.remove(NET, new Net(order.account(), cell[0]));
      }
      if (!(buggy && order.qty() == -999)) {
        cell[0] += order.qty();
      }
      if (digest != null) {
        digest.add(NET, new Net(order.account(), cell[0]));
      }
      return cell[0];
    }
  }

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  static ReplayReport replay(HashBook primary, TreeBook standby, List<Order> orders) {
    Replay.Builder<Order, Long> replay = Replay.of("orders", primary::apply, standby::apply);
    if (primary.digest != null) {
      replay.digests(primary.digest::value, standby.digest::value, DIGEST_EVERY);
    }
    return replay.build().run(orders.iterator());
  }

  static ReplayReport requireMatched(ReplayReport report, long checkpoints) {
    require(
        report.matched() && report.inputs() == ORDERS && report.checkpoints() == checkpoints,
        "the replay did not match all " + ORDERS + " inputs: " + report);
    return report;
  }

  // ------------------------------------------------------------------------------ state

  /** The orders, generated once (seeded), and the checks. */
  @State(Scope.Thread)
  public static class Orders {
    List<Order> orders;

    @Setup
    public void setUp() {
      SplittableRandom random = new SplittableRandom(SEED);
      orders = new ArrayList<>(ORDERS);
      for (int seq = 1; seq <= ORDERS; seq++) {
        orders.add(new Order(seq, random.nextInt(ACCOUNTS), random.nextInt(-1000, 1001)));
      }

      HashBook primary = new HashBook(true);
      TreeBook standby = new TreeBook(true, false);
      requireMatched(replay(primary, standby, orders), ORDERS / DIGEST_EVERY);
      require(
          primary.digest.value().equals(standby.digest.value())
              && primary.digest.value().count() == primary.net.size()
              && primary.net.size() > ACCOUNTS / 2,
          "the books' digests differ or are empty: " + primary.digest + " " + standby.digest);

      require(orders.stream().anyMatch(o -> o.qty() == -999), "no order triggers the planted bug");
      ReplayReport caught = replay(new HashBook(true), new TreeBook(true, true), orders);
      require(
          caught.firstDivergence().isPresent(),
          "the replay did not catch the planted bug: " + caught);
      HashBook blindPrimary = new HashBook(true);
      TreeBook blindStandby = new TreeBook(true, true);
      ReplayReport byDigest =
          Replay.<Order, Long>of("orders", blindPrimary::apply, blindStandby::apply)
              .digests(blindPrimary.digest::value, blindStandby.digest::value, DIGEST_EVERY)
              .equivalence((a, b) -> true)
              .build()
              .run(orders.iterator());
      require(
          byDigest.firstDivergence().isEmpty() && byDigest.firstDigestDivergence().isPresent(),
          "the digests did not catch the planted bug: " + byDigest);
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** Replay with outputs compared on every input and digests every 10,000. */
  @Benchmark
  @OperationsPerInvocation(ORDERS)
  public ReplayReport replayWithDigests(Orders state) {
    return requireMatched(
        replay(new HashBook(true), new TreeBook(true, false), state.orders), ORDERS / DIGEST_EVERY);
  }

  /** Replay with outputs compared on every input, books without digests. */
  @Benchmark
  @OperationsPerInvocation(ORDERS)
  public ReplayReport replayWithoutDigests(Orders state) {
    return requireMatched(replay(new HashBook(false), new TreeBook(false, false), state.orders), 0);
  }

  /** The books with digests driven by a plain loop instead of Replay. */
  @Benchmark
  @OperationsPerInvocation(ORDERS)
  public long loopWithDigests(Orders state) {
    HashBook primary = new HashBook(true);
    TreeBook standby = new TreeBook(true, false);
    List<Order> orders = state.orders;
    long checkpoints = 0;
    for (int i = 0; i < orders.size(); i++) {
      Order order = orders.get(i);
      Long a = primary.apply(order);
      Long b = standby.apply(order);
      if (!Objects.equals(a, b)) {
        throw new IllegalStateException("outputs differ at " + order);
      }
      if ((i + 1) % DIGEST_EVERY == 0) {
        checkpoints++;
        if (!primary.digest.value().equals(standby.digest.value())) {
          throw new IllegalStateException("digests differ at " + order);
        }
      }
    }
    require(checkpoints == ORDERS / DIGEST_EVERY, "loopWithDigests: wrong checkpoint count");
    return checkpoints;
  }
}
