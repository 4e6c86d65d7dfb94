package dev.stability.core.standby;

import dev.stability.api.standby.StateMachine;

/**
 * The runtime's standby side, reached through {@code runtime.standby()} (R9, R10): followers that
 * apply a primary's journal to the application's own (heterogeneous) state machine. Thread-safe.
 */
public interface Standby {

  /**
   * Starts a follower that reads {@code source} and applies it to {@code machine}, publishing its
   * checkpoints to the runtime's auditor. One follower per runtime carries the {@code
   * stability.standby.*} metrics. The runtime closes it when it closes.
   *
   * @throws java.io.UncheckedIOException if its state directory cannot be read
   */
  Follower follow(FollowerSettings settings, JournalSource source, StateMachine machine);
}
