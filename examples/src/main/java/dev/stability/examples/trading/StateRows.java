package dev.stability.examples.trading;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.core.consistency.HashedString;

/**
 * The records both cores digest, and their canonical encoders: the digest is over these records
 * whatever each implementation stores. Prices are written as decimals (ticks times tick size) and
 * money as decimals of yuan with two places, so an implementation that keeps ticks and one that
 * keeps {@code BigDecimal} prices digest the same. Instrument codes and sides are written as {@link
 * HashedString}s made once from the reference data: they hash as the {@code String}s they were made
 * from, without the digest looking each one up on every mutation.
 */
public final class StateRows {

  /**
   * An open order on the book.
   *
   * @param orderId the key
   * @param account the owner
   * @param instrument the instrument's index
   * @param side buy or sell
   * @param priceTicks the limit price
   * @param remaining lots not yet traded
   */
  public record OrderRow(
      long orderId, long account, int instrument, byte side, long priceTicks, long remaining) {}

  /**
   * An account's position in one instrument (open-only bookkeeping: a buy first closes short lots,
   * then opens long ones).
   *
   * @param account the account
   * @param instrument the instrument's index
   * @param longQty long lots
   * @param shortQty short lots
   */
  public record PositionRow(long account, int instrument, long longQty, long shortQty) {}

  /**
   * An account's funds, in cents.
   *
   * @param account the account
   * @param balance the balance
   * @param frozen margin frozen for open orders
   * @param margin margin held for open positions
   */
  public record FundsRow(long account, long balance, long frozen, long margin) {}

  private static final HashedString BUY = HashedString.of("BUY");
  private static final HashedString SELL = HashedString.of("SELL");

  final RecordEncoder<OrderRow> orders;
  final RecordEncoder<PositionRow> positions;
  final RecordEncoder<FundsRow> funds;

  /** Encoders for {@code market}'s instruments. */
  public StateRows(Market market) {
    HashedString[] codes =
        market.instruments().stream()
            .map(i -> HashedString.of(i.code()))
            .toArray(HashedString[]::new);
    this.orders =
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
            Market.Instrument instrument = market.instrument(row.instrument());
            out.putLong("account", row.account());
            out.putString("instrument", codes[row.instrument()]);
            out.putString("side", row.side() == OrderInput.BUY ? BUY : SELL);
            out.putDecimal(
                "price",
                row.priceTicks() * instrument.tickSize().unscaledValue().longValueExact(),
                instrument.tickSize().scale());
            out.putLong("remaining", row.remaining());
          }
        };
    this.positions =
        new RecordEncoder<>() {
          @Override
          public String type() {
            return "position";
          }

          @Override
          public void encodeKey(PositionRow row, CanonicalWriter out) {
            out.putLong("account", row.account());
            out.putString("instrument", codes[row.instrument()]);
          }

          @Override
          public void encodeValue(PositionRow row, CanonicalWriter out) {
            out.putLong("long", row.longQty());
            out.putLong("short", row.shortQty());
          }
        };
    this.funds =
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
  }

  /** The order encoder. */
  public RecordEncoder<OrderRow> orders() {
    return orders;
  }

  /** The position encoder. */
  public RecordEncoder<PositionRow> positions() {
    return positions;
  }

  /** The funds encoder. */
  public RecordEncoder<FundsRow> funds() {
    return funds;
  }
}
