package dev.stability.core.consistency;

import dev.stability.api.consistency.Checkpoint;
import java.util.List;

/**
 * One comparison of a primary and a standby checkpoint at the same sequence (R10).
 *
 * @param sequence the checkpoint sequence
 * @param matched whether the digests are equal
 * @param primary the primary's checkpoint
 * @param standby the standby's checkpoint
 * @param differingBuckets the buckets whose digests differ, ascending (empty when matched)
 */
public record AuditResult(
    long sequence,
    boolean matched,
    Checkpoint primary,
    Checkpoint standby,
    List<Integer> differingBuckets) {

  /** Copies the list. */
  public AuditResult {
    differingBuckets = List.copyOf(differingBuckets);
  }
}
