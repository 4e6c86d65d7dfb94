package dev.stability.core.internal;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.core.event.Events;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What every subsystem takes from its runtime, in one value: who it speaks for, the clocks, the
 * event output, the catalog meters and the shared timer. Subsystems are built from their settings
 * and this context, never from a list of the same fields. Internal.
 *
 * @param identity the runtime's identity
 * @param role the runtime's current role (changes at a switchover)
 * @param clock wall time and the zone of timestamps
 * @param ticker monotonic nanoseconds (the manual clock's under test)
 * @param sleeper waits for a duration (advances a manual clock instead of blocking)
 * @param events the runtime's event output
 * @param meters the runtime's catalog meter factory
 * @param timer the runtime's shared scheduler for sampling and polling
 * @param background whether subsystems sample and poll on the timer by themselves (false under a
 *     manual clock, where time passes only when a test says so)
 */
public record RuntimeContext(
    ServiceIdentity identity,
    Supplier<Role> role,
    Clock clock,
    LongSupplier ticker,
    Sleeper sleeper,
    Events events,
    SdkMeters meters,
    RuntimeTimer timer,
    boolean background) {

  /** Waits for a duration. */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }
}
