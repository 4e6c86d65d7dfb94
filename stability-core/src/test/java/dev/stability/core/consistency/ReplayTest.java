package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.consistency.StateDigest;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.Net;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two implementations of a tiny order book keep net positions per account: one in a HashMap, one in
 * a TreeMap. The second has a bug for one rare input; replaying a seeded stream of 1,000,000 orders
 * finds the first input where it shows, and can go on to count every divergence.
 */
class ReplayTest {

  record Order(long seq, int account, int qty) {}

  /** The primary's implementation. */
  static final class HashBook {
    final Map<Integer, Long> net = new HashMap<>();
    final StateDigest digest = StateDigests.create(64);

    Long apply(Order order) {
      Long before = net.get(order.account());
      long after = (before == null ? 0 : before) + order.qty();
      net.put(order.account(), after);
      if (before == null) {
        digest.add(Net.ENCODER, new Net(order.account(), after));
      } else {
        digest.replace(
            Net.ENCODER, new Net(order.account(), before), new Net(order.account(), after));
      }
      return after;
    }
  }

  /** The standby's implementation; {@code buggy} loses sells of exactly 999 lots. */
  static final class TreeBook {
    final TreeMap<Integer, long[]> net = new TreeMap<>();
    final StateDigest digest = StateDigests.create(64);
    final boolean buggy;

    TreeBook(boolean buggy) {
      this.buggy = buggy;
    }

    Long apply(Order order) {
      long[] cell = net.get(order.account());
      if (cell == null) {
        cell = new long[1];
        net.put(order.account(), cell);
      } else {
        digest.remove(Net.ENCODER, new Net(order.account(), cell[0]));
      }
      if (!(buggy && order.qty() == -999)) {
        cell[0] += order.qty();
      }
      digest.add(Net.ENCODER, new Net(order.account(), cell[0]));
      return cell[0];
    }
  }

  private static Iterator<Order> orders(long seed, long count) {
    SplittableRandom random = new SplittableRandom(seed);
    return new Iterator<>() {
      long seq;

      @Override
      public boolean hasNext() {
        return seq < count;
      }

      @Override
      public Order next() {
        seq++;
        return new Order(seq, random.nextInt(5000), random.nextInt(-1000, 1001));
      }
    };
  }

  /** Where the bug first shows in the seeded stream, found by a plain scan. */
  private static long firstSellOf999(long seed, long count) {
    Iterator<Order> scan = orders(seed, count);
    while (scan.hasNext()) {
      Order order = scan.next();
      if (order.qty() == -999) {
        return order.seq();
      }
    }
    return -1;
  }

  @Test
  void findsTheFirstDivergenceInAMillionSeededOrdersWithInputAndBothOutputs() {
    HashBook primary = new HashBook();
    TreeBook standby = new TreeBook(true);
    ReplayReport report =
        Replay.<Order, Long>of("orders-seed-2026", primary::apply, standby::apply)
            .digests(primary.digest::value, standby.digest::value, 10_000)
            .build()
            .run(orders(2026, 1_000_000));

    long expected = firstSellOf999(2026, 1_000_000);
    assertThat(expected).isPositive();
    assertThat(report.matched()).isFalse();
    ReplayReport.Divergence first = report.firstDivergence().orElseThrow();
    assertThat(first.sequence()).isEqualTo(expected);
    assertThat(first.input()).startsWith("Order[seq=" + expected + ",").contains("qty=-999]");
    assertThat(Long.parseLong(first.first()) - Long.parseLong(first.second())).isEqualTo(-999);
    assertThat(report.inputs()).isEqualTo(expected); // stopped there
  }

  @Test
  void goesOnCountingEveryDivergenceWhenAsked() {
    HashBook primary = new HashBook();
    TreeBook standby = new TreeBook(true);
    ReplayReport report =
        Replay.<Order, Long>of("orders", primary::apply, standby::apply)
            .digests(primary.digest::value, standby.digest::value, 50_000)
            .stopAtFirstDivergence(false)
            .build()
            .run(orders(7, 1_000_000));
    assertThat(report.inputs()).isEqualTo(1_000_000);
    // Once an account's position is wrong, every later order of that account differs too.
    assertThat(report.divergences()).isGreaterThan(1);
    assertThat(report.firstDigestDivergence()).isPresent();
    assertThat(report.firstDigestDivergence().getAsLong())
        .isGreaterThanOrEqualTo(report.firstDivergence().orElseThrow().sequence());
  }

  @Test
  void equalImplementationsMatchAllTheWayAndTheRuntimeReportsIt() throws Exception {
    HashBook primary = new HashBook();
    TreeBook standby = new TreeBook(false);
    dev.stability.core.CapturingSink sink = new dev.stability.core.CapturingSink();
    try (StabilityRuntime runtime = TestRuntimes.quiet("a1").eventSink(sink).build()) {
      ReplayReport report =
          runtime
              .consistency()
              .replay(
                  Replay.<Order, Long>of("orders", primary::apply, standby::apply)
                      .digests(primary.digest::value, standby.digest::value, 100_000)
                      .build(),
                  orders(11, 1_000_000));
      assertThat(report.matched()).isTrue();
      assertThat(report.checkpoints()).isEqualTo(10);
      assertThat(primary.digest.value()).isEqualTo(standby.digest.value());
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.withCode("REPLAY_MATCHED").get(0).message())
          .startsWith("replay orders: 1000000 inputs, outputs and 10 digest checkpoints equal");
    }
  }

  @Test
  void exceptionsAreOutputsComparedByType() {
    ReplayReport same =
        Replay.<Integer, Integer>of(
                "x",
                i -> {
                  if (i == 3) {
                    throw new IllegalStateException("a");
                  }
                  return i;
                },
                i -> {
                  if (i == 3) {
                    throw new IllegalStateException("b");
                  }
                  return i;
                })
            .build()
            .run(java.util.List.of(1, 2, 3, 4).iterator());
    assertThat(same.matched()).isTrue();
    ReplayReport different =
        Replay.<Integer, Integer>of(
                "x",
                i -> i,
                i -> {
                  if (i == 3) {
                    throw new IllegalStateException("rejected");
                  }
                  return i;
                })
            .build()
            .run(java.util.List.of(1, 2, 3, 4).iterator());
    assertThat(different.firstDivergence().orElseThrow().second())
        .isEqualTo("threw java.lang.IllegalStateException: rejected");
  }
}
