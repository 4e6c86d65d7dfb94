package dev.stability.core.consistency.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.consistency.Shadow;
import dev.stability.core.consistency.ShadowSettings;
import dev.stability.core.event.Events;
import dev.stability.core.internal.DaemonThreads;
import dev.stability.core.internal.SdkMeters;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One shadow: a bounded queue and one daemon thread that runs the candidate. Internal: reached
 * through {@link Shadow}.
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class DefaultShadow<I, O> implements Shadow<I, O> {

  private static final long EVENT_INTERVAL_NANOS = 1_000_000_000L;
  private static final int MAX_TEXT = 500;

  private final ShadowSettings<I, O> spec;
  private final Events events;
  private final ArrayBlockingQueue<Comparison<I, O>> queue;
  private final Counter match;
  private final Counter mismatch;
  private final Counter error;
  private final Counter dropped;
  private final Thread worker;
  private volatile boolean closed;
  private long lastMismatchEvent = Long.MIN_VALUE;
  private long heldMismatches;
  private long lastErrorEvent = Long.MIN_VALUE;
  private long heldErrors;

  private record Comparison<I, O>(I input, O control) {}

  /** Starts the shadow thread. */
  public DefaultShadow(ShadowSettings<I, O> spec, Events events, SdkMeters meters) {
    this.spec = spec;
    this.events = events;
    this.queue = new ArrayBlockingQueue<>(spec.queueCapacity());
    String name = spec.name();
    this.match =
        meters.counter(StabilityMetric.SHADOW_COMPARISONS, "shadow", name, "result", "match");
    this.mismatch =
        meters.counter(StabilityMetric.SHADOW_COMPARISONS, "shadow", name, "result", "mismatch");
    this.error =
        meters.counter(StabilityMetric.SHADOW_COMPARISONS, "shadow", name, "result", "error");
    this.dropped =
        meters.counter(StabilityMetric.SHADOW_COMPARISONS, "shadow", name, "result", "dropped");
    this.worker = DaemonThreads.named("stability-shadow-" + name).newThread(this::run);
    worker.start();
  }

  @Override
  public O apply(I input) {
    O answer = spec.control().apply(input);
    double rate = spec.sampleRate();
    if (rate > 0 && (rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate)) {
      try {
        if (closed || !queue.offer(new Comparison<>(spec.copyInput().apply(input), answer))) {
          dropped.increment();
        }
      } catch (RuntimeException e) {
        error.increment(); // copying the input failed: the comparison is lost, never the answer
      }
    }
    return answer;
  }

  private void run() {
    while (!closed) {
      Comparison<I, O> next;
      try {
        next = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next != null) {
        compare(next);
      }
    }
  }

  private void compare(Comparison<I, O> comparison) {
    O candidate;
    try {
      candidate = spec.candidate().apply(comparison.input());
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      error.increment();
      long now = System.nanoTime();
      heldErrors++;
      if (lastErrorEvent == Long.MIN_VALUE || now - lastErrorEvent >= EVENT_INTERVAL_NANOS) {
        events.publish(
            LogRecord.builder(StabilityEventCode.SHADOW_FAILED)
                .message(
                    "shadow "
                        + spec.name()
                        + ": the candidate threw on "
                        + text(comparison.input())
                        + " where the control answered "
                        + text(comparison.control())
                        + (heldErrors > 1
                            ? " (" + heldErrors + " failures since the last report)"
                            : ""))
                .error(e)
                .attr("shadow", spec.name())
                .attr("input", text(comparison.input()))
                .attr("control", text(comparison.control()))
                .attr("count", heldErrors));
        lastErrorEvent = now;
        heldErrors = 0;
      }
      return;
    }
    boolean equal;
    try {
      equal = spec.equivalence().test(comparison.control(), candidate);
    } catch (RuntimeException e) {
      equal = false;
    }
    if (equal) {
      match.increment();
      return;
    }
    mismatch.increment();
    long now = System.nanoTime();
    heldMismatches++;
    if (lastMismatchEvent == Long.MIN_VALUE || now - lastMismatchEvent >= EVENT_INTERVAL_NANOS) {
      events.publish(
          LogRecord.builder(StabilityEventCode.SHADOW_MISMATCH)
              .message(
                  "shadow "
                      + spec.name()
                      + ": on "
                      + text(comparison.input())
                      + " the control answered "
                      + text(comparison.control())
                      + " and the candidate "
                      + text(candidate)
                      + (heldMismatches > 1
                          ? " (" + heldMismatches + " mismatches since the last report)"
                          : ""))
              .attr("shadow", spec.name())
              .attr("input", text(comparison.input()))
              .attr("control", text(comparison.control()))
              .attr("candidate", text(candidate))
              .attr("count", heldMismatches));
      lastMismatchEvent = now;
      heldMismatches = 0;
    }
  }

  private static String text(Object value) {
    String text = String.valueOf(value);
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 3) + "..." : text;
  }

  @Override
  public Counts counts() {
    return new Counts(
        (long) match.count(),
        (long) mismatch.count(),
        (long) error.count(),
        (long) dropped.count());
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    queue.clear();
    dropped.increment(left);
  }

  @Override
  public String toString() {
    return "Shadow[" + spec.name() + "]";
  }
}
