package dev.stability.core.consistency;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.consistency.StateDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Compares the checkpoints primary and standby publish (R10): pairs them by sequence, publishes
 * {@code CONSISTENCY_MATCHED} / {@code CONSISTENCY_MISMATCH} events (a mismatch names the first
 * checkpoint sequence that differs and the last that matched) and the {@code
 * stability.consistency.*} metrics, and on request localises a mismatch to records and fields.
 * Checkpoints waiting for their counterpart are kept up to a bound (the oldest are dropped first).
 * Thread-safe.
 */
public interface CheckpointAuditor {

  /** Submits a primary checkpoint; returns the comparison if the standby's is already there. */
  Optional<AuditResult> primary(Checkpoint checkpoint);

  /**
   * Captures the primary's checkpoint of {@code digest} as it is now and submits it as {@link
   * #primary} from the auditor's own thread: the call for the order path. With the SDK's digest
   * ({@link Consistency#newDigest}, {@link StateDigests#create}) it allocates nothing after the
   * first call (it copies the digest's sums into one of up to 16 slots reserved then and wakes the
   * thread), takes no lock but its own, and never runs the comparison or its events on the caller's
   * thread. A digest of another class, or every slot still waiting, or a closed runtime: the
   * checkpoint is made and submitted on the caller's thread instead, as by {@link #primary}, so no
   * capture is ever lost. A checkpoint that cannot be compared (different bucket counts on the two
   * sides) is reported as {@code CONSISTENCY_CHECK_FAILED}; {@link #primary} throws instead.
   *
   * @param source who publishes it, e.g. the instance id
   * @param sequence the last journal sequence applied to the state
   * @param epoch the replication epoch
   * @param digest the state's digest, read now on the calling thread (its owner)
   */
  void capturePrimary(String source, long sequence, long epoch, StateDigest digest);

  /**
   * Waits until every checkpoint captured by {@link #capturePrimary} before this call has been
   * submitted (compared, if its counterpart was there), or {@code timeout} passed; true if it was.
   * For tests, drills and the end of a run, not the order path.
   */
  boolean awaitCaptured(Duration timeout);

  /** Submits a standby checkpoint; returns the comparison if the primary's is already there. */
  Optional<AuditResult> standby(Checkpoint checkpoint);

  /** Compares two checkpoints of the same sequence directly, with the same events and metrics. */
  AuditResult compare(Checkpoint primary, Checkpoint standby);

  /** The sequence of the last checkpoint that matched, if any. */
  OptionalLong lastMatchedSequence();

  /** The first checkpoint sequence of the current divergence, if primary and standby differ now. */
  OptionalLong firstMismatchSequence();

  /**
   * Localises a mismatch: asks both sides for their records, keeps those in the differing buckets
   * and diffs them field by field. Both sides must hold the state of {@code result}'s sequence.
   * Publishes {@code CONSISTENCY_DIFF_READY}.
   */
  ConsistencyDiff localise(AuditResult result, RecordSource primary, RecordSource standby);
}
