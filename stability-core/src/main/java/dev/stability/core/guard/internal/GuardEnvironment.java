package dev.stability.core.guard.internal;

import dev.stability.core.event.Events;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.SdkMeters;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What guards take from the runtime: events, meters, the monotonic time source, a sleeper for retry
 * backoff and the scheduler for asynchronous time limits. Internal.
 *
 * @param events the runtime's event output
 * @param meters the runtime's catalog meter factory
 * @param ticker monotonic nanoseconds (the manual clock's under test)
 * @param sleeper waits between retries (advances a manual clock instead of blocking)
 * @param scheduler fires asynchronous time limits; created on first use
 */
public record GuardEnvironment(
    Events events,
    SdkMeters meters,
    LongSupplier ticker,
    RuntimeContext.Sleeper sleeper,
    Supplier<ScheduledExecutorService> scheduler) {}
