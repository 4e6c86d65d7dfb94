package dev.stability.core.consistency;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.RecordSource;
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
