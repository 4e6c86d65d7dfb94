package dev.stability.core.guard;

import java.util.concurrent.Callable;

/**
 * Something put between a guard and the call it protects ({@link Guard#intercept}): the fault of a
 * fault-injection test or a drill (delay, failure, hang), which the guard's policies then see
 * exactly as they would see a misbehaving dependency. Applications use the testkit's {@code Faults}
 * rather than implementing it; a guard without one pays a single volatile read per call.
 */
@FunctionalInterface
public interface CallInterceptor {

  /** Runs {@code call} with the fault applied (delay, failure, hang...) or instead of it. */
  <T> T invoke(Callable<T> call) throws Exception;
}
