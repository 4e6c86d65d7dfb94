package dev.stability.core.guard.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.BulkheadFullException;
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.guard.DeadlineExceededException;
import dev.stability.api.guard.GuardRejectedException;
import dev.stability.api.guard.LoadShedException;
import dev.stability.api.guard.RateLimitedException;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.guard.CallInterceptor;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.RetrySettings;
import dev.stability.core.internal.SdkMeters;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The guard: policies in the order of {@link GuardSettings}, a lean hot path (see {@link
 * CircuitBreakerCore}, {@link CallStats}), events only on state changes. Internal.
 */
public final class DefaultGuard implements Guard {

  private static final long EVENT_INTERVAL_NANOS = 1_000_000_000L;

  private final String name;
  private final GuardSettings spec;
  private final GuardEnvironment env;
  private final LongSupplier ticker;
  private final CircuitBreakerCore breaker;
  private final RateLimiter rateLimiter;
  private final ThreadPoolBulkhead threadPool;
  private final AdaptiveLimit shedding;
  private final int bulkheadMax;
  private final boolean tracksInflight;

  /**
   * Admission word: the high 32 bits count admissions (a ticket that also picks the breaker's
   * window slot), the low 32 bits count calls inside. One atomic add admits a call, counts it in
   * the bulkhead and places it in the window: on the hot path every atomic costs about 6 ns.
   */
  private final AtomicLong admission = new AtomicLong();

  private static final long TICKET = 1L << 32;
  private final long deadlineNanos;
  private final long timeLimitNanos;
  private final RetrySettings retry;
  private final IntervalFunction retryIntervals;
  private final Counter retries;
  private final CallStats stats;
  private final List<Class<? extends Throwable>> ignored;

  private final EventThrottle bulkheadEvents = new EventThrottle(EVENT_INTERVAL_NANOS);
  private final EventThrottle rateEvents = new EventThrottle(EVENT_INTERVAL_NANOS);
  private final EventThrottle deadlineEvents = new EventThrottle(EVENT_INTERVAL_NANOS);
  private final EventThrottle retryEvents = new EventThrottle(EVENT_INTERVAL_NANOS);
  private final EventThrottle fallbackEvents = new EventThrottle(EVENT_INTERVAL_NANOS);
  private final AtomicBoolean shedActive = new AtomicBoolean();
  private volatile long lastLimitEventAt = Long.MIN_VALUE;
  private volatile CallInterceptor fault;

  /** A latency window moved on every step by the guards' timer thread. */
  private static LatencyWindow rotatingWindow(GuardEnvironment env) {
    LatencyWindow window = new LatencyWindow(CallStats.PERCENTILES);
    long step = LatencyWindow.STEP_SECONDS;
    env.scheduler().get().scheduleAtFixedRate(window::rotate, step, step, TimeUnit.SECONDS);
    return window;
  }

  /** Builds the guard and registers its meters. */
  public DefaultGuard(GuardSettings spec, GuardEnvironment env) {
    this.name = spec.name();
    this.spec = spec;
    this.env = env;
    this.ticker = env.ticker();
    SdkMeters meters = env.meters();
    this.stats =
        new CallStats(name, meters, spec.latencyPercentiles() ? rotatingWindow(env) : null);
    this.ignored = spec.ignoredExceptions();
    this.breaker =
        spec.circuitBreaker()
            .map(cb -> new CircuitBreakerCore(cb, this::circuitChanged))
            .orElse(null);
    meters.gauge(
        StabilityMetric.GUARD_CIRCUIT_STATE, this, g -> g.circuitState().code(), "guard", name);
    this.rateLimiter =
        spec.rateLimiter()
            .map(
                r ->
                    RateLimiter.of(
                        name,
                        RateLimiterConfig.custom()
                            .limitForPeriod(r.limitForPeriod())
                            .limitRefreshPeriod(r.limitRefreshPeriod())
                            .timeoutDuration(Duration.ZERO)
                            .build()))
            .orElse(null);
    this.threadPool =
        spec.threadPoolBulkhead()
            .map(
                t ->
                    ThreadPoolBulkhead.of(
                        name,
                        ThreadPoolBulkheadConfig.custom()
                            .maxThreadPoolSize(t.maxThreadPoolSize())
                            .coreThreadPoolSize(t.coreThreadPoolSize())
                            .queueCapacity(t.queueCapacity())
                            .writableStackTraceEnabled(false)
                            .build()))
            .orElse(null);
    this.shedding =
        spec.loadShedding()
            .map(s -> new AdaptiveLimit(s, new SheddingEvents(), ticker.getAsLong()))
            .orElse(null);
    this.bulkheadMax = spec.bulkhead().map(b -> b.maxConcurrentCalls()).orElse(Integer.MAX_VALUE);
    this.tracksInflight = shedding != null || spec.bulkhead().isPresent();
    if (tracksInflight) {
      meters.gauge(StabilityMetric.GUARD_INFLIGHT, this, DefaultGuard::inflight, "guard", name);
      meters.gauge(
          StabilityMetric.GUARD_CONCURRENCY_LIMIT,
          this,
          DefaultGuard::concurrencyLimit,
          "guard",
          name);
    }
    this.deadlineNanos = spec.deadline().map(Duration::toNanos).orElse(0L);
    this.timeLimitNanos = spec.timeLimit().map(Duration::toNanos).orElse(0L);
    this.retry = spec.retry().orElse(null);
    this.retryIntervals = retry == null ? null : intervals(retry);
    this.retries =
        retry == null ? null : meters.counter(StabilityMetric.GUARD_RETRIES, "guard", name);
  }

  private static IntervalFunction intervals(RetrySettings retry) {
    if (retry.randomizationFactor() > 0) {
      return IntervalFunction.ofExponentialRandomBackoff(
          retry.waitDuration(),
          retry.exponentialBackoffMultiplier(),
          retry.randomizationFactor(),
          retry.maxWaitDuration());
    }
    return attempt -> retry.baseWait(attempt).toMillis();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public GuardSettings settings() {
    return spec;
  }

  @Override
  public CircuitState circuitState() {
    return breaker == null ? CircuitState.DISABLED : breaker.state();
  }

  @Override
  public int inflight() {
    return (int) admission.get(); // the low 32 bits
  }

  @Override
  public boolean shedding() {
    return shedActive.get();
  }

  @Override
  public int concurrencyLimit() {
    if (shedding != null) {
      return Math.min(shedding.limit(), bulkheadMax);
    }
    return spec.bulkhead().isPresent() ? bulkheadMax : -1;
  }

  @Override
  public void intercept(CallInterceptor interceptor) {
    this.fault = interceptor;
  }

  /** The state a warm standby carries: breaker, remaining open wait, adaptive limit. */
  public GuardState capture() {
    long remaining = breaker == null ? 0 : breaker.openRemaining(ticker.getAsLong());
    return new GuardState(
        name, circuitState(), remaining, shedding == null ? -1 : shedding.limit());
  }

  /**
   * Takes over the primary's state at a switch: an OPEN breaker opens here with the wait that is
   * left ({@code ageNanos} since it was captured already counted), a forced-open one is forced open
   * until an operator resets it, the adaptive limit is set within this guard's bounds. A CLOSED or
   * HALF_OPEN breaker is left as it is here (half-open at the primary: opened here with no wait
   * left, so the next call is a trial). Returns what was applied, for the inheritance record.
   */
  public String inherit(GuardState state, long ageNanos) {
    StringBuilder applied = new StringBuilder();
    if (breaker != null) {
      switch (state.circuit()) {
        case FORCED_OPEN -> {
          breaker.forceOpen();
          applied.append("forced open");
        }
        case OPEN -> {
          long remaining = Math.max(0, state.openRemainingNanos() - ageNanos);
          breaker.inheritOpen(ticker.getAsLong(), remaining);
          applied.append("open, ").append(remaining / 1_000_000).append(" ms of its wait left");
        }
        case HALF_OPEN -> {
          breaker.inheritOpen(ticker.getAsLong(), 0);
          applied.append("open, half-opens at the next call");
        }
        default -> applied.append(state.circuit().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (shedding != null && state.limit() > 0) {
      int limit = shedding.inherit(state.limit());
      applied.append(applied.length() == 0 ? "" : ", ").append("limit ").append(limit);
    }
    return applied.length() == 0 ? "nothing to carry" : applied.toString();
  }

  @Override
  public void forceOpen() {
    if (breaker == null) {
      throw new IllegalStateException("guard " + name + " has no circuit breaker to force open");
    }
    breaker.forceOpen();
  }

  @Override
  public void reset() {
    if (breaker == null) {
      throw new IllegalStateException("guard " + name + " has no circuit breaker to reset");
    }
    breaker.reset();
  }

  // ---------------------------------------------------------------- synchronous hot path

  @Override
  public <T> T call(Callable<T> call) throws Exception {
    return retry == null ? attempt(call) : withRetry(call);
  }

  @Override
  public <T> T call(Callable<T> call, Function<Throwable, T> fallback) {
    try {
      return call(call);
    } catch (Exception e) {
      long held = fallbackEvents.tryEmit(ticker.getAsLong());
      if (held > 0) {
        publish(
            LogRecord.builder(StabilityEventCode.GUARD_FALLBACK_USED)
                .message("guard " + name + " answered with its fallback: " + e)
                .error(e)
                .attr("count", held));
      }
      return fallback.apply(e);
    }
  }

  @Override
  public void run(Runnable action) {
    try {
      call(
          () -> {
            action.run();
            return null;
          });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("a Runnable cannot throw a checked exception", e);
    }
  }

  @Override
  public <T> Callable<T> decorate(Callable<T> call) {
    return retry == null ? () -> attempt(call) : () -> withRetry(call);
  }

  @Override
  public <T> Supplier<T> decorate(Callable<T> call, Function<Throwable, T> fallback) {
    return () -> call(call, fallback);
  }

  private <T> T attempt(Callable<T> call) throws Exception {
    long start = ticker.getAsLong();
    long ticket = admit(start);
    T result;
    try {
      CallInterceptor injected = fault;
      result = injected == null ? call.call() : injected.invoke(call);
    } catch (Exception | Error e) {
      long end = ticker.getAsLong();
      leave();
      if (isIgnored(e)) {
        ignoredFailure(end, end - start);
      } else {
        completed(end, end - start, true, ticket);
      }
      throw e;
    }
    long end = ticker.getAsLong();
    leave();
    long duration = end - start;
    if (deadlineNanos > 0 && duration > deadlineNanos) {
      throw timeout(
          end,
          duration,
          ticket,
          "call took "
              + millis(duration)
              + " ms, over its deadline of "
              + millis(deadlineNanos)
              + " ms");
    }
    completed(end, duration, false, ticket);
    return result;
  }

  private boolean isIgnored(Throwable error) {
    for (int i = 0; i < ignored.size(); i++) { // indexed: no iterator on the failure path
      if (ignored.get(i).isInstance(error)) {
        return true;
      }
    }
    return false;
  }

  /** An answer that is an exception: counted for the caller, never held against the dependency. */
  private void ignoredFailure(long end, long duration) {
    if (breaker != null) {
      breaker.release();
    }
    if (shedding != null) {
      shedding.record(end, duration);
    }
    stats.record(Outcome.FAILURE, duration);
  }

  /**
   * Takes every permit the call needs, in the documented order, or throws a refusal.
   *
   * @return the admission ticket (its sequence picks the breaker's window slot), or -1 when the
   *     guard counts no calls inside and the breaker keeps its own sequence
   */
  private long admit(long now) {
    if (rateLimiter != null && !rateLimiter.acquirePermission()) {
      stats.record(Outcome.REJECTED, 0);
      throw rateLimited(now);
    }
    if (breaker != null && !breaker.tryAcquire(now)) {
      stats.record(Outcome.REJECTED, 0);
      throw new CircuitOpenException(name, "circuit breaker is " + breaker.state());
    }
    if (!tracksInflight) {
      return -1;
    }
    long ticket = admission.getAndAdd(TICKET + 1);
    int inside = (int) ticket + 1;
    if (shedding != null) {
      if (inside > shedding.limit()) {
        refuseInside();
        stats.record(Outcome.SHED, 0);
        throw shed(inside - 1);
      }
      shedding.admitted(inside);
    }
    if (inside > bulkheadMax) {
      refuseInside();
      throw bulkheadFull(now);
    }
    return ticket >>> 32;
  }

  private void refuseInside() {
    admission.getAndAdd(-1);
    if (breaker != null) {
      breaker.release();
    }
  }

  private void leave() {
    if (tracksInflight) {
      admission.getAndAdd(-1);
    }
  }

  private void completed(long end, long duration, boolean failed, long ticket) {
    if (breaker != null) {
      breaker.record(end, duration, failed, ticket);
    }
    if (shedding != null) {
      shedding.record(end, duration);
    }
    stats.record(failed ? Outcome.FAILURE : Outcome.SUCCESS, duration);
  }

  /**
   * Records a call that ran past its deadline or time limit (a failure for the breaker, latency for
   * the shedding limit, TIMEOUT in the metrics), emits a throttled event, and returns the exception
   * for the caller.
   */
  private DeadlineExceededException timeout(long end, long duration, long ticket, String reason) {
    if (breaker != null) {
      breaker.record(end, duration, true, ticket);
    }
    if (shedding != null) {
      shedding.record(end, duration);
    }
    stats.record(Outcome.TIMEOUT, duration);
    long held = deadlineEvents.tryEmit(end);
    if (held > 0) {
      publish(
          LogRecord.builder(StabilityEventCode.GUARD_DEADLINE_EXCEEDED)
              .message("guard " + name + ": " + reason)
              .durationMicros(duration / 1000)
              .outcome(Outcome.TIMEOUT)
              .attr("count", held));
    }
    return new DeadlineExceededException(name, reason);
  }

  private RateLimitedException rateLimited(long now) {
    long held = rateEvents.tryEmit(now);
    if (held > 0) {
      publish(
          LogRecord.builder(StabilityEventCode.GUARD_RATE_LIMITED)
              .message("guard " + name + " refused " + held + " calls over its rate limit")
              .outcome(Outcome.REJECTED)
              .attr("count", held));
    }
    return new RateLimitedException(
        name, "rate limit of " + spec.rateLimiter().orElseThrow() + " reached");
  }

  private BulkheadFullException bulkheadFull(long now) {
    return bulkheadFull(now, "all " + bulkheadMax + " bulkhead permits in use");
  }

  private BulkheadFullException bulkheadFull(long now, String reason) {
    stats.record(Outcome.REJECTED, 0);
    long held = bulkheadEvents.tryEmit(now);
    if (held > 0) {
      publish(
          LogRecord.builder(StabilityEventCode.GUARD_BULKHEAD_SATURATED)
              .message("guard " + name + " bulkhead full: refused " + held + " calls")
              .outcome(Outcome.REJECTED)
              .attr("count", held)
              .attr("reason", reason));
    }
    return new BulkheadFullException(name, reason);
  }

  private LoadShedException shed(int inside) {
    shedding.shed();
    if (shedActive.compareAndSet(false, true)) {
      publish(
          LogRecord.builder(StabilityEventCode.GUARD_SHEDDING_STARTED)
              .message(
                  "guard "
                      + name
                      + " started shedding: "
                      + inside
                      + " calls inside, limit "
                      + shedding.limit())
              .outcome(Outcome.SHED)
              .attr("limit", shedding.limit()));
    }
    return new LoadShedException(
        name, "shed: " + inside + " calls inside, adaptive limit " + shedding.limit());
  }

  private <T> T withRetry(Callable<T> call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(call);
      } catch (CircuitOpenException
          | BulkheadFullException
          | RateLimitedException
          | LoadShedException refused) {
        throw refused; // the guard itself refused: retrying would only add load
      } catch (Exception e) {
        if (attempt >= retry.maxAttempts()) {
          long held = retryEvents.tryEmit(ticker.getAsLong());
          if (held > 0) {
            publish(
                LogRecord.builder(StabilityEventCode.GUARD_RETRY_EXHAUSTED)
                    .message("guard " + name + " failed on all " + attempt + " attempts")
                    .error(e)
                    .attr("attempts", attempt)
                    .attr("count", held));
          }
          throw e;
        }
        retries.increment();
        env.sleeper().sleep(Duration.ofMillis(retryIntervals.apply(attempt)));
      }
    }
  }

  // ---------------------------------------------------------------- asynchronous path

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    long start = ticker.getAsLong();
    long ticket;
    try {
      ticket = admit(start);
    } catch (GuardRejectedException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    CompletionStage<T> stage;
    try {
      stage = start(call);
    } catch (GuardRejectedException refused) {
      leave();
      if (breaker != null) {
        breaker.release();
      }
      return CompletableFuture.failedFuture(refused); // counted where it was raised
    } catch (RuntimeException | Error e) {
      long end = ticker.getAsLong();
      leave();
      completed(end, end - start, true, ticket);
      return CompletableFuture.failedFuture(e);
    }
    // Exactly one of completion and timeout settles the call: permits are released and the
    // outcome recorded once.
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture<T> result = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        timeLimitNanos == 0
            ? null
            : env.scheduler()
                .get()
                .schedule(
                    () -> {
                      if (settled.compareAndSet(false, true)) {
                        long end = ticker.getAsLong();
                        leave();
                        DeadlineExceededException timeout =
                            timeout(
                                end,
                                end - start,
                                ticket,
                                "asynchronous call cancelled after its time limit of "
                                    + timeLimitNanos / 1_000_000
                                    + " ms");
                        cancel(stage); // before the caller can see the timeout
                        result.completeExceptionally(timeout);
                      }
                    },
                    timeLimitNanos,
                    TimeUnit.NANOSECONDS);
    stage.whenComplete(
        (value, error) -> {
          if (!settled.compareAndSet(false, true)) {
            return; // timed out already
          }
          if (timer != null) {
            timer.cancel(false);
          }
          long end = ticker.getAsLong();
          leave();
          Throwable cause = unwrap(error);
          if (cause == null) {
            completed(end, end - start, false, ticket);
            result.complete(value);
          } else {
            if (isIgnored(cause)) {
              ignoredFailure(end, end - start);
            } else {
              completed(end, end - start, true, ticket);
            }
            result.completeExceptionally(cause);
          }
        });
    return result;
  }

  @Override
  public <T> CompletionStage<T> submit(Callable<T> call) {
    if (threadPool == null) {
      throw new IllegalStateException(
          "guard '" + name + "' has no thread-pool-bulkhead to run submitted work on");
    }
    return callAsync(
        () -> {
          try {
            return threadPool.executeCallable(call);
          } catch (io.github.resilience4j.bulkhead.BulkheadFullException full) {
            throw bulkheadFull(ticker.getAsLong(), "thread pool and queue full");
          }
        });
  }

  /** Stops the thread-pool bulkhead's threads, if any; the runtime calls this on close. */
  public void close() {
    if (threadPool != null) {
      try {
        threadPool.close();
      } catch (Exception e) {
        publish(
            LogRecord.builder(StabilityEventCode.EVENT_SINK_FAILED)
                .message("guard " + name + ": closing its thread pool failed")
                .error(e));
      }
    }
  }

  private <T> CompletionStage<T> start(Supplier<? extends CompletionStage<T>> call) {
    CallInterceptor injected = fault;
    if (injected == null) {
      return call.get();
    }
    try {
      return injected.invoke(call::get);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e); // a checked fault fails the stage
    }
  }

  private static void cancel(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException e) {
      // a stage that cannot be turned into a future cannot be cancelled; its result is ignored
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  // ---------------------------------------------------------------- rare path: events

  private void circuitChanged(
      CircuitState from, CircuitState to, float failureRate, float slowRate) {
    StabilityEventCode code =
        switch (to) {
          case OPEN, FORCED_OPEN -> StabilityEventCode.GUARD_CIRCUIT_OPENED;
          case HALF_OPEN -> StabilityEventCode.GUARD_CIRCUIT_HALF_OPEN;
          default -> StabilityEventCode.GUARD_CIRCUIT_CLOSED;
        };
    LogRecord.Builder record =
        LogRecord.builder(code)
            .message("guard " + name + " circuit " + from + " -> " + to)
            .attr("from", from.name())
            .attr("to", to.name());
    if (failureRate >= 0) {
      record.attr("failure_rate", format(failureRate)).attr("slow_call_rate", format(slowRate));
    }
    publish(record);
  }

  private final class SheddingEvents implements AdaptiveLimit.Listener {
    private int reported = spec.loadShedding().orElseThrow().initialLimit();

    @Override
    public void limitChanged(int from, int to, double latencyRatio) {
      // Report a move of at least 25% since the last report, at most once a second: the limit
      // moves a little every window, and operations need the trend, not every step.
      long now = ticker.getAsLong();
      boolean large = Math.abs(to - reported) * 4 >= Math.max(reported, 4);
      boolean quiet =
          lastLimitEventAt == Long.MIN_VALUE || now - lastLimitEventAt >= EVENT_INTERVAL_NANOS;
      if (large && quiet) {
        lastLimitEventAt = now;
        publish(
            LogRecord.builder(StabilityEventCode.GUARD_LIMIT_CHANGED)
                .message("guard " + name + " concurrency limit " + reported + " -> " + to)
                .attr("from", reported)
                .attr("to", to)
                .attr("latency_ratio", format(latencyRatio)));
        reported = to;
      }
    }

    @Override
    public void windowWithoutShedding() {
      if (shedActive.compareAndSet(true, false)) {
        publish(
            LogRecord.builder(StabilityEventCode.GUARD_SHEDDING_STOPPED)
                .message("guard " + name + " stopped shedding; limit " + shedding.limit())
                .attr("limit", shedding.limit()));
      }
    }
  }

  private void publish(LogRecord.Builder record) {
    env.events().publish(record.guard(name));
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  @Override
  public String toString() {
    return "Guard[" + name + ", " + circuitState() + ", inflight=" + inflight() + "]";
  }
}
