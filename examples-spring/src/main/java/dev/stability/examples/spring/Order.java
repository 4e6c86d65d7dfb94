package dev.stability.examples.spring;

import java.math.BigDecimal;

/**
 * A new order as the service receives it.
 *
 * @param clientOrderId the client's id of the order
 * @param account the trading account
 * @param symbol the instrument, e.g. 600519.SH
 * @param side BUY or SELL
 * @param quantity shares, positive
 * @param price limit price, positive
 */
public record Order(
    String clientOrderId,
    String account,
    String symbol,
    Side side,
    long quantity,
    BigDecimal price) {

  /** Buy or sell. */
  public enum Side {
    BUY,
    SELL
  }

  /** Price times quantity. */
  BigDecimal notional() {
    return price.multiply(BigDecimal.valueOf(quantity));
  }
}
