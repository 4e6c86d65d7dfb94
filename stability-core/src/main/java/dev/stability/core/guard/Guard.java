package dev.stability.core.guard;

import dev.stability.api.guard.CircuitState;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named, pre-built policy around one dependency or operation (R14): the application defines it
 * once and calls through it on every request. Policies apply in the order documented on {@link
 * GuardSettings}. A refused or cut-short call fails with a {@link
 * dev.stability.api.guard.GuardRejectedException} subclass that names the guard; exceptions of the
 * call itself reach the caller unchanged. Thread-safe.
 *
 * <p>Hot path: {@link #decorate(Callable)} once, then call the result on every request. A success
 * through breaker, bulkhead and metrics takes no lock and allocates nothing; events are emitted
 * only on state changes, off the caller's critical section.
 */
public interface Guard {

  /** The guard's name. */
  String name();

  /** What the guard does. */
  GuardSettings settings();

  /** Current circuit breaker state ({@link CircuitState#DISABLED} without a breaker). */
  CircuitState circuitState();

  /** Calls inside the guard right now (0 when neither bulkhead nor shedding tracks them). */
  int inflight();

  /**
   * Whether adaptive load shedding is dropping calls now (from the first shed call until a shedding
   * window passes without one); always false without load shedding.
   */
  boolean shedding();

  /** Current concurrency limit: the adaptive limit, else the bulkhead size, else -1. */
  int concurrencyLimit();

  /**
   * Operator action: forces the breaker open, so every call is refused until {@link #reset()}.
   * Perform it through {@code runtime.operations()} (the ops endpoint does) so it is recorded (R5).
   *
   * @throws IllegalStateException if the guard has no circuit breaker
   */
  void forceOpen();

  /**
   * Operator action: closes the breaker and forgets its window. Perform it through {@code
   * runtime.operations()} so it is recorded (R5).
   *
   * @throws IllegalStateException if the guard has no circuit breaker
   */
  void reset();

  /**
   * Puts {@code interceptor} between the guard and the calls it protects (synchronous calls, and
   * the supplier of asynchronous ones), replacing any other, or removes it with {@code null}: the
   * seam of fault injection (the testkit's {@code Faults.inject}). Not for production traffic.
   */
  void intercept(@Nullable CallInterceptor interceptor);

  /** Runs {@code call} through the guard and returns its result. */
  <T> T call(Callable<T> call) throws Exception;

  /** Runs {@code call} through the guard; on any failure returns {@code fallback}'s answer. */
  <T> T call(Callable<T> call, Function<Throwable, T> fallback);

  /** Runs {@code action} through the guard; its unchecked exceptions reach the caller. */
  void run(Runnable action);

  /**
   * Starts an asynchronous call through the guard; the guard's time limit (if any) fails the
   * returned stage with {@link dev.stability.api.guard.DeadlineExceededException} and cancels the
   * call's own future. A refused call returns a stage failed with the refusal.
   */
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call);

  /**
   * Runs blocking work on the guard's thread-pool bulkhead, through every other policy as {@link
   * #callAsync} does; a full pool and queue refuse the call with {@link
   * dev.stability.api.guard.BulkheadFullException}.
   *
   * @throws IllegalStateException if the guard has no thread-pool bulkhead
   */
  <T> CompletionStage<T> submit(Callable<T> call);

  /**
   * Decorates {@code call} once, for hot paths: the returned callable applies every policy and
   * allocates nothing per call on success.
   */
  <T> Callable<T> decorate(Callable<T> call);

  /** Like {@link #decorate(Callable)} with a fallback for any failure. */
  <T> Supplier<T> decorate(Callable<T> call, Function<Throwable, T> fallback);
}
