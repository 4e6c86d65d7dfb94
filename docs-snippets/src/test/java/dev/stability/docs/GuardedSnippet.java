package dev.stability.docs;

// tag::guarded[]
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.spring.guard.Guarded;

// end::guarded[]

class GuardedSnippet {
  private final Domain.Venue venue = order -> new Ack();

  // tag::guarded[]
  @Guarded(value = "exchange-link", fallbackMethod = "holdLocally")
  public Ack route(Order order) {
    return venue.send(order);
  }

  private Ack holdLocally(Order order, CircuitOpenException open) {
    return Ack.held(order);
  }
  // end::guarded[]

}
