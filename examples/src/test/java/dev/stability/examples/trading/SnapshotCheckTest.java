package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.consistency.DigestValue;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Snapshots that no core can produce are refused by both implementations, with the reason, before
 * anything changes. Found by review: each of these used to pass the check, and the two cores then
 * disagreed (a flat position stayed in the array core's digest; a missing funds row was
 * UNKNOWN_ACCOUNT for one core and INSUFFICIENT_FUNDS for the other) or both digests counted a row
 * twice.
 */
class SnapshotCheckTest {

  private static final Market MARKET = Market.demo(2);
  private static final long A = MARKET.account(0);
  private static final long B = MARKET.account(1);
  private static final long SETTLE = MARKET.instrument(0).settleTicks();

  private static byte[] image(
      UnaryOperator<List<FundsRow>> funds, List<PositionRow> positions, List<OrderRow> orders) {
    List<FundsRow> rows = funds.apply(new ArrayList<>(new MapTradingCore(MARKET).image().funds()));
    return new StateImage(7, rows, positions, orders).toBytes();
  }

  /** Both cores, each holding some state, refuse {@code snapshot} and keep that state. */
  private static void refusedByBoth(byte[] snapshot, String reason) {
    for (TradingCore core : List.of(new MapTradingCore(MARKET), new ArrayTradingCore(MARKET))) {
      core.process(OrderInput.limit(1, A, 0, OrderInput.BUY, SETTLE, 2));
      StateImage before = core.image();
      DigestValue digestBefore = core.digest().value();
      assertThatThrownBy(() -> core.restore(snapshot))
          .as(core.name())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(reason);
      assertThat(core.image()).as("%s kept its state", core.name()).isEqualTo(before);
      assertThat(core.digest().value()).isEqualTo(digestBefore);
    }
  }

  @Test
  void aFlatPositionIsRefused() {
    refusedByBoth(
        image(f -> f, List.of(new PositionRow(A, 0, 0, 0)), List.of()),
        "a position no core can hold");
  }

  @Test
  void aNegativeOrTwoSidedPositionIsRefused() {
    refusedByBoth(
        image(f -> f, List.of(new PositionRow(A, 0, -3, 0)), List.of()),
        "a position no core can hold");
    refusedByBoth(
        image(f -> f, List.of(new PositionRow(A, 0, 2, 1)), List.of()),
        "a position no core can hold");
  }

  @Test
  void aPositionListedTwiceIsRefused() {
    refusedByBoth(
        image(f -> f, List.of(new PositionRow(A, 0, 2, 0), new PositionRow(A, 0, 3, 0)), List.of()),
        "a position no core can hold");
  }

  @Test
  void aMissingFundsRowIsRefused() {
    refusedByBoth(
        image(f -> List.of(f.get(0)), List.of(), List.of()),
        "holds the funds of 1 accounts, the market has 2");
  }

  @Test
  void fundsListedTwiceAreRefused() {
    refusedByBoth(
        image(
            f -> {
              f.add(new FundsRow(A, 1, 0, 0));
              return f;
            },
            List.of(),
            List.of()),
        "holds the funds of account " + A + " twice");
  }

  @Test
  void anOrderIdListedTwiceIsRefused() {
    refusedByBoth(
        image(
            f -> f,
            List.of(),
            List.of(
                new OrderRow(5, A, 0, OrderInput.BUY, SETTLE, 1),
                new OrderRow(5, B, 0, OrderInput.BUY, SETTLE - 1, 1))),
        "holds order 5 that the market cannot hold");
  }

  @Test
  void aSnapshotEitherCoreTookIsStillAccepted() {
    MapTradingCore primary = new MapTradingCore(MARKET);
    primary.process(OrderInput.limit(1, A, 0, OrderInput.SELL, SETTLE, 3));
    primary.process(OrderInput.limit(2, B, 0, OrderInput.BUY, SETTLE, 1));
    ArrayTradingCore standby = new ArrayTradingCore(MARKET);
    standby.restore(primary.snapshot());
    assertThat(standby.image()).isEqualTo(primary.image());
    assertThat(standby.digest().value()).isEqualTo(primary.digest().value());
  }
}
