package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.consistency.Replay;
import dev.stability.core.consistency.ReplayReport;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The two implementations replayed over a seeded stream of a million orders (R10). */
class ReplayComparisonTest {

  private static Iterator<OrderInput> limited(Iterator<OrderInput> flow, long count) {
    return new Iterator<>() {
      long left = count;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public OrderInput next() {
        left--;
        return flow.next();
      }
    };
  }

  @Test
  void aMillionSeededOrdersGiveTheSameReportsAndDigestsInBothImplementations() {
    Market market = Market.demo(1_000);
    MapTradingCore primary = new MapTradingCore(market);
    ArrayTradingCore standby = new ArrayTradingCore(market);
    Map<Object, Long> seen = new HashMap<>();
    Function<OrderInput, List<Execution>> counted =
        in -> {
          List<Execution> out = primary.process(in);
          for (Execution e : out) {
            seen.merge(e.reason() != null ? e.reason() : e.kind(), 1L, Long::sum);
          }
          return out;
        };
    ReplayReport report =
        Replay.<OrderInput, List<Execution>>of("orders-seed-42", counted, standby::process)
            .digests(() -> primary.digest().value(), () -> standby.digest().value(), 10_000)
            .stopAtFirstDivergence(false)
            .build()
            .run(limited(new OrderFlow(market, 42), 1_000_000));

    assertThat(report.inputs()).isEqualTo(1_000_000);
    assertThat(report.divergences()).as(report.toString()).isZero();
    assertThat(report.matched()).as("digests agreed at every checkpoint").isTrue();
    assertThat(report.checkpoints()).isEqualTo(100);
    assertThat(primary.digest().value()).isEqualTo(standby.digest().value());
    assertThat(primary.image()).isEqualTo(standby.image());
    // The stream really exercised the book: trades happened and orders rest.
    assertThat(primary.openOrders()).isPositive().isEqualTo(standby.openOrders());
    assertThat(seen.get(Execution.Kind.TRADE)).isGreaterThan(100_000L);
    assertThat(seen.get(Execution.Kind.CANCELLED)).isGreaterThan(10_000L);
    assertThat(seen.keySet())
        .as("every reject reason was exercised")
        .containsAll(List.of(Execution.Reject.values()));
  }

  @Test
  void aDeliberateDifferenceIsFoundAtTheFirstInputItAffects() {
    Market market = Market.demo(100);
    MapTradingCore primary = new MapTradingCore(market);
    ArrayTradingCore standby = new ArrayTradingCore(market);
    OrderFlow flow = new OrderFlow(market, 7);
    for (int i = 0; i < 5_000; i++) {
      OrderInput in = flow.next();
      primary.process(in);
      standby.process(in);
    }
    // The standby gets a position the primary does not have: its position limit now differs.
    standby.damagePosition(market.account(0), 0, market.positionLimit());
    ReplayReport report =
        Replay.<OrderInput, List<Execution>>of("damaged", primary::process, standby::process)
            .build()
            .run(
                List.of(
                        OrderInput.limit(
                            900_000_001L, market.account(0), 0, OrderInput.BUY, 19_500, 1))
                    .iterator());
    assertThat(report.divergences()).isEqualTo(1);
    assertThat(report.firstDivergence().orElseThrow().first()).contains("ACCEPTED");
    assertThat(report.firstDivergence().orElseThrow().second()).contains("POSITION_LIMIT");
  }
}
