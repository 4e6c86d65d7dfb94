package dev.stability.core.guard.internal;

import dev.stability.core.guard.LoadSheddingSettings;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The adaptive concurrency limit behind load shedding (gradient family). The hot path adds the
 * call's latency to striped window counters and reads the limit; once per window the thread that
 * crosses the window's end recomputes the limit: mean latency above {@code latencyTolerance} x
 * baseline cuts it multiplicatively, otherwise, if the limit was actually used, it grows by about
 * its square root. The baseline follows lower latencies quickly and higher ones slowly, so a sudden
 * slowdown is seen as overload while a lasting new normal is eventually accepted.
 */
final class AdaptiveLimit {

  /** Receives limit changes, from the recomputing thread. */
  interface Listener {
    void limitChanged(int from, int to, double latencyRatio);

    void windowWithoutShedding();
  }

  private final LoadSheddingSettings spec;
  private final Listener listener;
  private final long windowNanos;
  private final LongAdder windowCalls = new LongAdder();
  private final LongAdder windowLatency = new LongAdder();
  private final LongAdder windowShed = new LongAdder();
  private final AtomicBoolean updating = new AtomicBoolean();
  private volatile int limit;
  private volatile int peakInflight;
  private volatile long windowEnd;
  private double baselineNanos;

  AdaptiveLimit(LoadSheddingSettings spec, Listener listener, long now) {
    this.spec = spec;
    this.listener = listener;
    this.windowNanos = spec.window().toNanos();
    this.limit = spec.initialLimit();
    this.windowEnd = now + windowNanos;
  }

  int limit() {
    return limit;
  }

  /**
   * Takes over a limit from another process (warm standby), within this guard's bounds; returns the
   * limit set.
   */
  int inherit(int inherited) {
    int next = Math.max(spec.minLimit(), Math.min(spec.maxLimit(), inherited));
    int old = limit;
    if (next != old) {
      limit = next;
      listener.limitChanged(old, next, Double.NaN);
    }
    return next;
  }

  /** Notes how many calls were inside when one was admitted (for the "limit used" test). */
  void admitted(int inflight) {
    if (inflight > peakInflight) {
      peakInflight = inflight; // racy max: a lost update only delays growth by one window
    }
  }

  void shed() {
    windowShed.increment();
  }

  void record(long now, long latencyNanos) {
    windowCalls.increment();
    windowLatency.add(latencyNanos);
    if (now >= windowEnd) {
      recompute(now);
    }
  }

  private void recompute(long now) {
    if (!updating.compareAndSet(false, true)) {
      return;
    }
    try {
      if (now < windowEnd) {
        return;
      }
      windowEnd = now + windowNanos;
      long calls = windowCalls.sumThenReset();
      long latency = windowLatency.sumThenReset();
      long shed = windowShed.sumThenReset();
      int peak = peakInflight;
      peakInflight = 0;
      if (shed == 0) {
        listener.windowWithoutShedding();
      }
      if (calls == 0) {
        return;
      }
      double mean = (double) latency / calls;
      if (baselineNanos == 0) {
        baselineNanos = mean;
      }
      double ratio = mean / baselineNanos;
      int old = limit;
      int next = old;
      if (ratio > spec.latencyTolerance()) {
        next = Math.max(spec.minLimit(), (int) (old * spec.backoffRatio()));
        baselineNanos += (mean - baselineNanos) * 0.02;
      } else {
        baselineNanos =
            mean < baselineNanos
                ? baselineNanos + (mean - baselineNanos) * 0.5
                : baselineNanos + (mean - baselineNanos) * 0.02;
        if (peak * 2 >= old || shed > 0) {
          next = Math.min(spec.maxLimit(), old + Math.max(1, (int) Math.sqrt(old)));
        }
      }
      if (next != old) {
        limit = next;
        listener.limitChanged(old, next, ratio);
      }
    } finally {
      updating.set(false);
    }
  }
}
