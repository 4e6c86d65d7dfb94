package dev.stability.examples.trading;

/**
 * An execution report the core sends back for an input: accepted, rejected (with the rule that
 * refused it), a trade, or cancelled. Both implementations must send exactly the same reports, in
 * the same order, for the same inputs: that is what replay comparison checks.
 *
 * @param kind what happened
 * @param orderId the order it is about (the taker's for a trade)
 * @param counterOrderId the resting order a trade matched (0 otherwise)
 * @param priceTicks the trade price (the resting order's), 0 otherwise
 * @param qty lots traded or cancelled, 0 otherwise
 * @param reason why it was rejected, null otherwise
 */
public record Execution(
    Kind kind, long orderId, long counterOrderId, long priceTicks, long qty, Reject reason) {

  /** What happened to an order. */
  public enum Kind {
    /** Passed validation and risk; rests or trades. */
    ACCEPTED,
    /** Refused; see the reason. */
    REJECTED,
    /** Matched a resting order. */
    TRADE,
    /** Removed from the book by its owner. */
    CANCELLED
  }

  /**
   * Why an input was refused, in the order the rules are checked (both implementations check them
   * in this order, so the first rule broken is the reason).
   */
  public enum Reject {
    /** A new order reuses the id of an order still open. */
    DUPLICATE_ORDER_ID,
    /** The account does not exist. */
    UNKNOWN_ACCOUNT,
    /** The instrument does not exist. */
    UNKNOWN_INSTRUMENT,
    /** The side is neither buy nor sell. */
    BAD_SIDE,
    /** The quantity is below 1 or above the per-order maximum. */
    BAD_QUANTITY,
    /** The price is outside today's limits. */
    PRICE_LIMIT,
    /** The position on that side would exceed the position limit. */
    POSITION_LIMIT,
    /** The available funds do not cover the order's margin. */
    INSUFFICIENT_FUNDS,
    /** A cancel names an order that is not open. */
    UNKNOWN_ORDER,
    /** A cancel comes from another account than the order's. */
    NOT_OWNER
  }

  static Execution accepted(long orderId) {
    return new Execution(Kind.ACCEPTED, orderId, 0, 0, 0, null);
  }

  static Execution rejected(long orderId, Reject reason) {
    return new Execution(Kind.REJECTED, orderId, 0, 0, 0, reason);
  }

  static Execution trade(long taker, long maker, long priceTicks, long qty) {
    return new Execution(Kind.TRADE, taker, maker, priceTicks, qty, null);
  }

  static Execution cancelled(long orderId, long qty) {
    return new Execution(Kind.CANCELLED, orderId, 0, 0, qty, null);
  }
}
