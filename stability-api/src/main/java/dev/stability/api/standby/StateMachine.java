package dev.stability.api.standby;

import dev.stability.api.consistency.StateDigest;
import java.nio.ByteBuffer;

/**
 * The business state of one implementation (the primary's, or the heterogeneous standby's), rebuilt
 * from the journal (R9): applying the same records in the same order must give the same state, so
 * {@code apply} is deterministic (no wall clock, no random numbers, no I/O that can differ). The
 * state machine keeps its {@link StateDigest} up to date as it changes, so the auditor can compare
 * it with the other implementation's. Called from one thread at a time.
 */
public interface StateMachine {

  /**
   * Applies one journal record. The payload buffer is valid only during the call.
   *
   * @throws RuntimeException if the record cannot be applied; the follower stops and reports it
   *     rather than skip it
   */
  void apply(long sequence, long epoch, ByteBuffer payload);

  /** The whole state as bytes, consistent with every record applied so far. */
  byte[] snapshot();

  /** Replaces the whole state with a snapshot's (and its digest with the snapshot's digest). */
  void restore(byte[] snapshot);

  /** The digest of the current state. */
  StateDigest digest();

  /**
   * The last sequence this state contains, if the state machine keeps it atomically with its own
   * durable state (then a follower resumes exactly after it, even after a crash); -1 (the default)
   * if it does not, and the follower's recorded position is used.
   */
  default long lastApplied() {
    return -1;
  }
}
