package dev.stability.core.consistency;

import java.util.function.Function;

/**
 * A running shadow comparison (R10): {@link #apply} runs the control and returns its answer,
 * unchanged (its exceptions too); for a sampled share of calls the input and the control's answer
 * are queued for the shadow thread, which runs the candidate and compares. A full queue drops the
 * comparison and counts it ({@code stability.shadow.comparisons{result=dropped}}) rather than slow
 * the caller. Mismatches and candidate failures are events ({@code SHADOW_MISMATCH}, {@code
 * SHADOW_FAILED}, at most one a second with a count) carrying both answers. Thread-safe.
 *
 * @param <I> input type
 * @param <O> output type
 */
public interface Shadow<I, O> extends Function<I, O>, AutoCloseable {

  /** Runs the control, returns its answer, and maybe queues a comparison. */
  @Override
  O apply(I input);

  /** Comparisons made so far. */
  Counts counts();

  /**
   * Comparison counts.
   *
   * @param matched candidate answered the same
   * @param mismatched candidate answered differently
   * @param failed candidate threw
   * @param dropped not compared: the queue was full or the shadow closed
   */
  record Counts(long matched, long mismatched, long failed, long dropped) {}

  /** Stops the shadow thread; waiting comparisons are dropped and counted. */
  @Override
  void close();
}
