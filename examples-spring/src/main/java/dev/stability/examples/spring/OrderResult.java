package dev.stability.examples.spring;

/**
 * What the service answers for an order.
 *
 * @param clientOrderId the client's id of the order
 * @param status ACCEPTED (the venue acknowledged it), HELD (kept for resend: the venue link failed
 *     or its guard refused) or REJECTED (a risk limit)
 * @param venueOrderId the venue's id when accepted, else null
 * @param reason why it was held or rejected, else null
 */
public record OrderResult(String clientOrderId, Status status, String venueOrderId, String reason) {

  /** The order's outcome. */
  public enum Status {
    ACCEPTED,
    HELD,
    REJECTED
  }

  static OrderResult accepted(Order order, String venueOrderId) {
    return new OrderResult(order.clientOrderId(), Status.ACCEPTED, venueOrderId, null);
  }

  static OrderResult held(Order order, String reason) {
    return new OrderResult(order.clientOrderId(), Status.HELD, null, reason);
  }

  static OrderResult rejected(Order order, String reason) {
    return new OrderResult(order.clientOrderId(), Status.REJECTED, null, reason);
  }
}
