package dev.stability.examples.spring;

import dev.stability.api.guard.GuardRejectedException;
import dev.stability.spring.guard.Guarded;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The outbound link to the exchange, simulated in memory: it acknowledges every order unless an
 * outage is switched on (see {@link SimulatorController}). Every send runs through the {@code
 * exchange-link} guard; a failed or refused send answers with the fallback, which holds the order
 * locally for resend instead of failing the client.
 */
@Component
public class ExchangeLink {

  private final AtomicLong venueIds = new AtomicLong();
  private final AtomicReference<String> outage = new AtomicReference<>();

  /** Sends a checked order to the venue and returns its acknowledgement. */
  @Guarded(value = "exchange-link", fallbackMethod = "holdLocally")
  public OrderResult send(Order order) throws IOException {
    String reason = outage.get();
    if (reason != null) {
      throw new IOException(reason);
    }
    return OrderResult.accepted(order, "V-" + venueIds.incrementAndGet());
  }

  /** The guard refused the send (breaker open, bulkhead full, deadline passed, ...). */
  OrderResult holdLocally(Order order, GuardRejectedException refused) {
    return OrderResult.held(order, "exchange link refused: " + refused.getMessage());
  }

  /** The send failed. */
  OrderResult holdLocally(Order order, IOException failure) {
    return OrderResult.held(order, "exchange link failed: " + failure.getMessage());
  }

  /** Whether the venue session is logged on (no simulated outage). */
  public boolean loggedOn() {
    return outage.get() == null;
  }

  /** The simulated outage's reason, or null. */
  public String outageReason() {
    return outage.get();
  }

  /** Starts (a reason) or ends (null) a simulated outage of the venue. */
  public void simulateOutage(String reason) {
    outage.set(reason);
  }
}
