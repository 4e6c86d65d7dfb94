package dev.stability.api.consistency;

/**
 * One side's records, for localising a mismatch to records and fields (R10): the auditor asks each
 * side for its records and keeps those in the differing buckets. Called only after a mismatch,
 * while that side's state is held at the compared checkpoint.
 */
public interface RecordSource {

  /** Visits every record of the state. */
  void forEachRecord(RecordVisitor visitor);

  /** Receives records of any type with their encoder. */
  interface RecordVisitor {
    /** One record. */
    <R> void visit(RecordEncoder<R> encoder, R record);
  }
}
