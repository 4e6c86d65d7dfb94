package dev.stability.core.guard.internal;

import java.util.concurrent.Callable;

/**
 * A fault put between a guard and the call it protects, for fault-injection tests: the guard's
 * policies see the fault exactly as they would see a misbehaving dependency. Installed by the
 * testkit through {@link DefaultGuard#injectFault}; a guard without one pays a single volatile read
 * per call. Internal: applications use the testkit's {@code Faults}.
 */
@FunctionalInterface
public interface FaultHook {

  /** Runs {@code call} with the fault applied (delay, failure, hang...) or instead of it. */
  <T> T invoke(Callable<T> call) throws Exception;
}
