package dev.stability.core.consistency;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link Replay} found (R10). Immutable.
 *
 * @param name the replay's name
 * @param inputs how many inputs were fed
 * @param divergences how many inputs gave different outputs
 * @param firstDivergence the first input whose outputs differed
 * @param firstDigestDivergence the first sequence at which the digests differed
 * @param checkpoints how many digest comparisons were made
 * @param duration how long it ran
 */
public record ReplayReport(
    String name,
    long inputs,
    long divergences,
    Optional<Divergence> firstDivergence,
    OptionalLong firstDigestDivergence,
    long checkpoints,
    Duration duration) {

  /**
   * The first input on which the implementations disagreed.
   *
   * @param sequence 1-based position of the input in the stream
   * @param input the input
   * @param first the first implementation's output (or the exception it threw)
   * @param second the second implementation's output
   */
  public record Divergence(long sequence, String input, String first, String second) {}

  /** Whether the outputs and digests agreed all the way. */
  public boolean matched() {
    return divergences == 0 && firstDigestDivergence.isEmpty();
  }

  /** Inputs per second. */
  public double throughput() {
    long nanos = Math.max(1, duration.toNanos());
    return inputs * 1e9 / nanos;
  }
}
