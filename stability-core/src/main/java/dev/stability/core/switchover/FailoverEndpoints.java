package dev.stability.core.switchover;

import dev.stability.api.ConfigurationException;
import dev.stability.api.StabilityException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The client side of a switch (R9, R11): pre-registered addresses of a service, tried in order (the
 * endpoint registry's current primary first, when one is given), with a growing pause between
 * rounds, until one connects. Every connection after the first one of this list, and any that
 * follows a failed attempt, is reported as a {@code CLIENT_RECONNECTED} event with the address and
 * the number of attempts. Thread-safe.
 *
 * <pre>{@code
 * FailoverEndpoints gateway = FailoverEndpoints.builder(runtime, "member-0042", "matching")
 *     .addresses("10.0.1.5:9001", "10.1.1.5:9001").registry(registry).build();
 * Session session = gateway.connect(address -> Session.open(address));
 * }</pre>
 */
public final class FailoverEndpoints {

  /** Opens a connection to one address; throws if it cannot. */
  @FunctionalInterface
  public interface Connector<C> {
    /** Connects to {@code address}. */
    C connect(String address) throws Exception;
  }

  /** No address answered within the attempts allowed. */
  public static final class NoEndpointException extends StabilityException {
    private static final long serialVersionUID = 1L;

    NoEndpointException(String message, Throwable last) {
      super(message, last);
    }
  }

  private final StabilityRuntime runtime;
  private final String client;
  private final String service;
  private final List<String> addresses;
  private final EndpointRegistry registry;
  private final Duration firstPause;
  private final Duration maxPause;
  private final int rounds;
  private volatile boolean connectedBefore;

  private FailoverEndpoints(Builder builder) {
    this.runtime = builder.runtime;
    this.client = builder.client;
    this.service = builder.service;
    this.addresses = List.copyOf(builder.addresses);
    this.registry = builder.registry;
    this.firstPause = builder.firstPause;
    this.maxPause = builder.maxPause;
    this.rounds = builder.rounds;
  }

  /** Starts a list for {@code client} of {@code service}. */
  public static Builder builder(StabilityRuntime runtime, String client, String service) {
    return new Builder(runtime, client, service);
  }

  /**
   * Connects to the first address that answers.
   *
   * @throws NoEndpointException naming every address tried and the last failure
   * @throws InterruptedException if interrupted while pausing between rounds
   */
  public <C> C connect(Connector<C> connector) throws InterruptedException {
    long started = System.nanoTime();
    int attempts = 0;
    Exception last = null;
    List<String> tried = new ArrayList<>();
    Duration pause = firstPause;
    for (int round = 0; round < rounds; round++) {
      for (String address : order()) {
        attempts++;
        try {
          C connection = connector.connect(address);
          boolean reconnect = attempts > 1 || connectedBefore;
          connectedBefore = true;
          if (reconnect) {
            runtime
                .events()
                .publish(
                    LogRecord.builder(StabilityEventCode.CLIENT_RECONNECTED)
                        .member(client)
                        .peer(address)
                        .durationMicros((System.nanoTime() - started) / 1_000)
                        .message(
                            client
                                + " reconnected to "
                                + service
                                + " at "
                                + address
                                + (attempts > 1
                                    ? " after " + (attempts - 1) + " failed attempts"
                                    : ""))
                        .attr("service", service)
                        .attr("attempts", attempts));
          }
          return connection;
        } catch (Exception e) {
          last = e;
          tried.add(address);
        }
      }
      if (round + 1 < rounds) {
        Thread.sleep(pause.toMillis());
        pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
      }
    }
    throw new NoEndpointException(
        client
            + " could not connect to "
            + service
            + " after "
            + attempts
            + " attempts at "
            + tried
            + (last == null ? "" : "; last failure: " + last),
        last);
  }

  /** The registry's current primary first, then the pre-registered addresses in order. */
  private List<String> order() {
    Set<String> order = new LinkedHashSet<>();
    if (registry != null) {
      try {
        registry.primary(service).ifPresent(entry -> order.add(entry.address()));
      } catch (RuntimeException e) {
        // An unreadable registry must not keep a client from its pre-registered addresses.
      }
    }
    order.addAll(addresses);
    return List.copyOf(order);
  }

  /** Builds {@link FailoverEndpoints}. */
  public static final class Builder {
    private final StabilityRuntime runtime;
    private final String client;
    private final String service;
    private final List<String> addresses = new ArrayList<>();
    private EndpointRegistry registry;
    private Duration firstPause = Duration.ofMillis(50);
    private Duration maxPause = Duration.ofSeconds(2);
    private int rounds = 10;

    private Builder(StabilityRuntime runtime, String client, String service) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      this.client = client;
      this.service = service;
    }

    /** Pre-registered addresses, tried in this order. */
    public Builder addresses(String... values) {
      addresses.addAll(List.of(values));
      return this;
    }

    /** A registry whose current primary is tried first. */
    public Builder registry(EndpointRegistry value) {
      this.registry = value;
      return this;
    }

    /** Pause after the first failed round, doubled each round up to {@code max}. */
    public Builder backoff(Duration first, Duration max) {
      this.firstPause = first;
      this.maxPause = max;
      return this;
    }

    /** Rounds over the addresses before giving up (default 10). */
    public Builder rounds(int value) {
      this.rounds = value;
      return this;
    }

    /**
     * Builds the list.
     *
     * @throws ConfigurationException if there is no address or a setting is out of range
     */
    public FailoverEndpoints build() {
      if (addresses.isEmpty() && registry == null) {
        throw new ConfigurationException(
            "failover." + client + ".addresses", "[]", "needs at least one address or a registry");
      }
      if (rounds < 1) {
        throw new ConfigurationException("failover." + client + ".rounds", rounds, "must be >= 1");
      }
      if (firstPause == null
          || firstPause.isNegative()
          || maxPause == null
          || maxPause.compareTo(firstPause) < 0) {
        throw new ConfigurationException(
            "failover." + client + ".backoff",
            firstPause + ".." + maxPause,
            "must be 0 <= first <= max");
      }
      return new FailoverEndpoints(this);
    }
  }
}
