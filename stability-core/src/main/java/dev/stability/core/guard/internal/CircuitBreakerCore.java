package dev.stability.core.guard.internal;

import dev.stability.api.guard.CircuitState;
import dev.stability.core.guard.CircuitBreakerSettings;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A circuit breaker with Resilience4j's semantics and configuration names but a lock-free,
 * allocation-free hot path. Resilience4j records each outcome under a {@code synchronized} window
 * and allocates per call; here the count-based window is a ring of outcome slots updated with one
 * atomic increment and one slot exchange, and aggregates are adjusted only when a slot's outcome
 * changes. Rates are evaluated only after a failure or slow call (a success can never open the
 * breaker). State changes go through compare-and-set, so exactly one thread reports each
 * transition.
 */
final class CircuitBreakerCore {

  /** Receives state transitions (called by the thread that won the transition). */
  interface Listener {
    void transitioned(CircuitState from, CircuitState to, float failureRate, float slowRate);
  }

  private static final int CLOSED = 0;
  private static final int OPEN = 1;
  private static final int HALF_OPEN = 2;
  private static final int FORCED_OPEN = 4;

  private static final int RECORDED = 1;
  private static final int FAILED = 2;
  private static final int SLOW = 4;

  private final CircuitBreakerSettings spec;
  private final Listener listener;
  private final long slowNanos;
  private final long waitNanos;
  private final int window;
  private final boolean timeBased;
  private final int minimumCalls;

  private final AtomicInteger state = new AtomicInteger(CLOSED);
  private volatile long openedAt;

  // count-based window
  private final AtomicIntegerArray slots;
  private final AtomicInteger cursor = new AtomicInteger();
  // time-based window: per-second buckets, [second, calls, failures, slow] packed per bucket
  private final AtomicLongArray bucketSecond;
  private final AtomicIntegerArray bucketCounts;

  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger slow = new AtomicInteger();

  // half-open trial accounting
  private final AtomicInteger trialPermits = new AtomicInteger();
  private final AtomicInteger trialCalls = new AtomicInteger();
  private final AtomicInteger trialFailures = new AtomicInteger();
  private final AtomicInteger trialSlow = new AtomicInteger();

  CircuitBreakerCore(CircuitBreakerSettings spec, Listener listener) {
    this.spec = spec;
    this.listener = listener;
    this.slowNanos = spec.slowCallDurationThreshold().toNanos();
    this.waitNanos = spec.waitDurationInOpenState().toNanos();
    this.window = spec.slidingWindowSize();
    this.timeBased = spec.slidingWindowType() == CircuitBreakerSettings.WindowType.TIME_BASED;
    // as in Resilience4j: a count window can never hold more calls than its size
    this.minimumCalls =
        timeBased ? spec.minimumNumberOfCalls() : Math.min(spec.minimumNumberOfCalls(), window);
    this.slots = timeBased ? null : new AtomicIntegerArray(window);
    this.bucketSecond = timeBased ? new AtomicLongArray(window) : null;
    this.bucketCounts = timeBased ? new AtomicIntegerArray(window * 3) : null;
    if (timeBased) {
      for (int i = 0; i < window; i++) {
        bucketSecond.set(i, Long.MIN_VALUE);
      }
    }
  }

  /** Whether a call may go through now; in half-open state takes one trial permit. */
  boolean tryAcquire(long now) {
    int current = state.get();
    if (current == CLOSED) {
      return true;
    }
    if (current == OPEN) {
      if (now - openedAt < waitNanos) {
        return false;
      }
      if (state.compareAndSet(OPEN, HALF_OPEN)) {
        trialCalls.set(0);
        trialFailures.set(0);
        trialSlow.set(0);
        trialPermits.set(spec.permittedNumberOfCallsInHalfOpenState());
        listener.transitioned(CircuitState.OPEN, CircuitState.HALF_OPEN, -1, -1);
      }
      current = state.get();
      if (current != HALF_OPEN) {
        return current == CLOSED;
      }
    }
    if (current == HALF_OPEN) {
      if (trialPermits.getAndDecrement() > 0) {
        return true;
      }
      trialPermits.incrementAndGet(); // no permit was left: undo, so released permits stay usable
      return false;
    }
    return false; // forced open
  }

  /** Gives back a permit taken by {@link #tryAcquire} for a call that never ran. */
  void release() {
    if (state.get() == HALF_OPEN) {
      trialPermits.incrementAndGet();
    }
  }

  /**
   * Records the outcome of a call that was let through.
   *
   * @param sequence the call's admission sequence from the guard (it picks the count window's slot,
   *     saving an atomic increment), or -1 to let the breaker number the call itself
   */
  void record(long now, long durationNanos, boolean failed, long sequence) {
    int outcome = RECORDED | (failed ? FAILED : 0) | (durationNanos >= slowNanos ? SLOW : 0);
    int current = state.get();
    if (current == CLOSED) {
      if (timeBased ? recordTimed(now, outcome) : recordCounted(outcome, sequence)) {
        evaluateClosed(now);
      }
    } else if (current == HALF_OPEN) {
      recordTrial(now, outcome);
    }
    // OPEN or FORCED_OPEN: a call admitted before the breaker opened; nothing to learn from it
  }

  /**
   * Records into the ring.
   *
   * @return whether the rates must be evaluated: a failure or slow call changed them, or this call
   *     brought the window to the minimum number of calls (rates may already be over threshold). A
   *     success replacing any outcome can only lower the rates, so it never needs evaluating.
   */
  private boolean recordCounted(int outcome, long sequence) {
    int next = sequence >= 0 ? (int) sequence : cursor.getAndIncrement();
    int index = (next & Integer.MAX_VALUE) % window;
    if (slots.get(index) == outcome) {
      return false; // same outcome as the one it replaces: aggregates unchanged
    }
    int old = slots.getAndSet(index, outcome);
    boolean reachedMinimum = false;
    if (old == 0) {
      reachedMinimum = recorded.incrementAndGet() == minimumCalls;
    }
    adjust(old, outcome);
    return outcome != RECORDED || reachedMinimum;
  }

  private boolean recordTimed(long now, int outcome) {
    long second = Math.floorDiv(now, 1_000_000_000L);
    int bucket = (int) Math.floorMod(second, (long) window);
    long seen = bucketSecond.get(bucket);
    if (seen != second) {
      if (bucketSecond.compareAndSet(bucket, seen, second)) {
        // this thread retires the bucket's old second from the aggregates
        int calls = bucketCounts.getAndSet(bucket * 3, 0);
        int fails = bucketCounts.getAndSet(bucket * 3 + 1, 0);
        int slows = bucketCounts.getAndSet(bucket * 3 + 2, 0);
        recorded.addAndGet(-calls);
        failures.addAndGet(-fails);
        slow.addAndGet(-slows);
      }
      expireOldBuckets(second);
    }
    bucketCounts.incrementAndGet(bucket * 3);
    boolean reachedMinimum = recorded.incrementAndGet() == minimumCalls;
    if ((outcome & FAILED) != 0) {
      bucketCounts.incrementAndGet(bucket * 3 + 1);
      failures.incrementAndGet();
    }
    if ((outcome & SLOW) != 0) {
      bucketCounts.incrementAndGet(bucket * 3 + 2);
      slow.incrementAndGet();
    }
    return outcome != RECORDED || reachedMinimum;
  }

  /** After an idle gap, buckets older than the window still hold counts: retire them. */
  private void expireOldBuckets(long second) {
    for (int i = 0; i < window; i++) {
      long s = bucketSecond.get(i);
      if (s != Long.MIN_VALUE
          && second - s >= window
          && bucketSecond.compareAndSet(i, s, Long.MIN_VALUE)) {
        recorded.addAndGet(-bucketCounts.getAndSet(i * 3, 0));
        failures.addAndGet(-bucketCounts.getAndSet(i * 3 + 1, 0));
        slow.addAndGet(-bucketCounts.getAndSet(i * 3 + 2, 0));
      }
    }
  }

  private void adjust(int old, int now) {
    int failureDelta = ((now & FAILED) != 0 ? 1 : 0) - ((old & FAILED) != 0 ? 1 : 0);
    int slowDelta = ((now & SLOW) != 0 ? 1 : 0) - ((old & SLOW) != 0 ? 1 : 0);
    if (failureDelta != 0) {
      failures.addAndGet(failureDelta);
    }
    if (slowDelta != 0) {
      slow.addAndGet(slowDelta);
    }
  }

  private void evaluateClosed(long now) {
    int calls = recorded.get();
    if (calls < minimumCalls || calls == 0) {
      return;
    }
    float failureRate = failures.get() * 100f / calls;
    float slowRate = slow.get() * 100f / calls;
    if (failureRate >= spec.failureRateThreshold() || slowRate >= spec.slowCallRateThreshold()) {
      open(CLOSED, now, failureRate, slowRate);
    }
  }

  private void recordTrial(long now, int outcome) {
    if ((outcome & FAILED) != 0) {
      trialFailures.incrementAndGet();
    }
    if ((outcome & SLOW) != 0) {
      trialSlow.incrementAndGet();
    }
    int calls = trialCalls.incrementAndGet();
    if (calls < spec.permittedNumberOfCallsInHalfOpenState()) {
      return;
    }
    float failureRate = trialFailures.get() * 100f / calls;
    float slowRate = trialSlow.get() * 100f / calls;
    if (failureRate >= spec.failureRateThreshold() || slowRate >= spec.slowCallRateThreshold()) {
      open(HALF_OPEN, now, failureRate, slowRate);
    } else if (state.compareAndSet(HALF_OPEN, CLOSED)) {
      resetWindow();
      listener.transitioned(CircuitState.HALF_OPEN, CircuitState.CLOSED, failureRate, slowRate);
    }
  }

  private void open(int from, long now, float failureRate, float slowRate) {
    if (state.get() != from) {
      return;
    }
    // Written before the state flips, so a thread that sees OPEN also sees when it opened. A
    // losing racer may overwrite it with its own, equally recent, time: harmless.
    openedAt = now;
    if (state.compareAndSet(from, OPEN)) {
      listener.transitioned(toState(from), CircuitState.OPEN, failureRate, slowRate);
    }
  }

  private void resetWindow() {
    if (timeBased) {
      for (int i = 0; i < window; i++) {
        bucketSecond.set(i, Long.MIN_VALUE);
        bucketCounts.set(i * 3, 0);
        bucketCounts.set(i * 3 + 1, 0);
        bucketCounts.set(i * 3 + 2, 0);
      }
    } else {
      for (int i = 0; i < window; i++) {
        slots.set(i, 0);
      }
    }
    recorded.set(0);
    failures.set(0);
    slow.set(0);
  }

  /** Forces the breaker open until {@link #reset()} (operator action). */
  void forceOpen() {
    int from = state.getAndSet(FORCED_OPEN);
    if (from != FORCED_OPEN) {
      listener.transitioned(toState(from), CircuitState.FORCED_OPEN, -1, -1);
    }
  }

  /** Closes the breaker and forgets the window (operator action). */
  void reset() {
    int from = state.getAndSet(CLOSED);
    resetWindow();
    if (from != CLOSED) {
      listener.transitioned(toState(from), CircuitState.CLOSED, -1, -1);
    }
  }

  /**
   * How much of the open wait is left at {@code now}: 0 unless OPEN (an OPEN breaker whose wait is
   * over reports 0 and half-opens at the next call).
   */
  long openRemaining(long now) {
    if (state.get() != OPEN) {
      return 0;
    }
    return Math.max(0, waitNanos - (now - openedAt));
  }

  /**
   * Takes over an OPEN state from another process (warm standby): open now, with {@code
   * remainingNanos} of the wait left, so the breaker half-opens when the old primary's would have.
   * A forced-open breaker stays forced (an operator's decision is not overruled by inherited
   * state).
   */
  void inheritOpen(long now, long remainingNanos) {
    long remaining = Math.max(0, Math.min(waitNanos, remainingNanos));
    int from = state.get();
    if (from == FORCED_OPEN) {
      return;
    }
    openedAt = now - (waitNanos - remaining);
    if (from != OPEN && state.compareAndSet(from, OPEN)) {
      listener.transitioned(toState(from), CircuitState.OPEN, -1, -1);
    }
  }

  CircuitState state() {
    return toState(state.get());
  }

  float failureRate() {
    int calls = recorded.get();
    return calls == 0 ? 0 : failures.get() * 100f / calls;
  }

  private static CircuitState toState(int value) {
    return switch (value) {
      case CLOSED -> CircuitState.CLOSED;
      case OPEN -> CircuitState.OPEN;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.FORCED_OPEN;
    };
  }
}
