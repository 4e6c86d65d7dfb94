package dev.stability.testkit.arch;

import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.annotation.Deterministic;
import dev.stability.api.annotation.Idempotent;
import dev.stability.api.annotation.OutboundClient;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.RetrySettings;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/** Samples for the determinism, retry and outbound-client rules. */
final class MoreSamples {
  private MoreSamples() {}

  @Deterministic
  static final class ReadsTheWallClock {
    long apply() {
      return Instant.now().toEpochMilli();
    }
  }

  @Deterministic
  static final class DrawsItsOwnRandomness {
    int apply() {
      return new Random().nextInt();
    }
  }

  @Deterministic
  static final class TakesTimeAndSeedAsInputs {
    private final Clock clock;
    private final Random random;

    TakesTimeAndSeedAsInputs(Clock clock, long seed) {
      this.clock = clock;
      this.random = new Random(seed);
    }

    long apply() {
      return clock.millis() + random.nextInt(10);
    }
  }

  static final class RetriesAnOrder {
    GuardSettings orderEntry() {
      return GuardSettings.builder("order-entry").retry(RetrySettings.defaults()).build();
    }
  }

  static final class RetriesQuotes {
    @Idempotent("quotes are read-only")
    GuardSettings quotes() {
      return GuardSettings.builder("quotes")
          .idempotent(true)
          .retry(RetrySettings.defaults())
          .build();
    }
  }

  @OutboundClient
  static class ExchangeLink {
    String send(String order) {
      return "ack " + order;
    }
  }

  static final class CallsTheExchangeDirectly {
    private final ExchangeLink link = new ExchangeLink();

    @CriticalPath
    String accept(String order) {
      return link.send(order);
    }
  }

  @CriticalPath
  static final class CallsTheExchangeThroughAGuard {
    private final ExchangeLink link = new ExchangeLink();
    private final Guard guard;

    CallsTheExchangeThroughAGuard(Guard guard) {
      this.guard = guard;
    }

    String accept(String order) throws Exception {
      return guard.call(() -> link.send(order));
    }
  }
}
