package dev.stability.core.standby;

import dev.stability.api.consistency.Checkpoint;
import java.time.Duration;
import java.util.Optional;

/**
 * A standby following the primary's journal on its own thread (R9): applies every record, in order,
 * to its state machine, publishes a checkpoint to the runtime's auditor every N records, records
 * its position, takes snapshots, and reports its lag ({@code stability.standby.*}, {@code
 * STANDBY_*} events). A record that cannot be applied stops it (reported, never skipped).
 * Thread-safe.
 */
public interface Follower extends AutoCloseable {

  /** The last sequence applied. */
  long appliedSequence();

  /** Records behind the primary, or -1 if the source cannot tell. */
  long lag();

  /** How old the last applied record is (its journal timestamp against the runtime's clock). */
  Duration timeLag();

  /** The last checkpoint published. */
  Optional<Checkpoint> lastCheckpoint();

  /**
   * Waits until {@code sequence} is applied.
   *
   * @return false if the timeout passed first or the follower stopped
   */
  boolean awaitApplied(long sequence, Duration timeout) throws InterruptedException;

  /**
   * Takes a snapshot now (between two records) and returns its sequence.
   *
   * @throws IllegalStateException if the follower has stopped
   */
  long snapshot() throws InterruptedException;

  /** Why the follower stopped, if it stopped on its own. */
  Optional<Throwable> failure();

  /** Stops following: finishes the record in hand, records the position. */
  @Override
  void close();
}
