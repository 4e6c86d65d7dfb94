package dev.stability.core.consistency;

import dev.stability.api.consistency.StateDigest;
import java.util.Iterator;

/**
 * Consistency checking, reached through {@code runtime.consistency()} (R10): state digests, the
 * checkpoint auditor, shadow comparisons and replay comparisons, with their events and metrics.
 * Thread-safe.
 */
public interface Consistency {

  /**
   * A new state digest with {@code buckets} buckets (the same as {@link StateDigests#create}).
   * Primary and standby must use the same bucket count.
   */
  StateDigest newDigest(int buckets);

  /** The runtime's checkpoint auditor. */
  CheckpointAuditor auditor();

  /**
   * Starts a shadow comparison; it stops when the runtime closes.
   *
   * @throws dev.stability.api.ConfigurationException if a shadow of that name runs already
   */
  <I, O> Shadow<I, O> shadow(ShadowSettings<I, O> spec);

  /**
   * Runs a replay on the calling thread and publishes {@code REPLAY_MATCHED} or {@code
   * REPLAY_DIVERGED} with the first divergence.
   */
  <I, O> ReplayReport replay(Replay<I, O> replay, Iterator<? extends I> inputs);
}
