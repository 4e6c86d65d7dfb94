package dev.stability.core.operations;

import dev.stability.api.event.LogRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The append-only operation log (R4, R5): JSON lines in the log schema (category OPERATION), each
 * carrying {@code op_seq}, {@code prev_hash} and {@code hash} attributes, where {@code hash} is the
 * SHA-256 of the previous record's hash and this record's line without its hash. Altering, removing
 * or reordering a record breaks the chain at that record, which {@link #verify()} names. Files roll
 * daily beside the named file ({@code operations.2026-11-30.jsonl}) and are kept for the retention
 * period. Thread-safe.
 *
 * <p>The chain proves that the file was not changed <em>inside</em>; it cannot prove that the last
 * records were not cut off together. Every record also goes to the event output with its hash, so a
 * central log store holds the head of the chain to compare with.
 */
public interface OperationLog {

  /** The active file, if the log is written to a file. */
  Optional<Path> file();

  /** The last {@code count} records, oldest first. */
  List<LogRecord> tail(int count);

  /** Walks every file of the log and checks the chain. */
  Verification verify();

  /**
   * The result of {@link #verify()}.
   *
   * @param records how many records were checked
   * @param files how many files
   * @param problem the first bad record, if any
   */
  record Verification(long records, int files, Optional<Problem> problem) {

    /** Whether the whole chain is intact. */
    public boolean intact() {
      return problem.isEmpty();
    }
  }

  /**
   * The first record that breaks the chain.
   *
   * @param file the file
   * @param line its 1-based line number
   * @param opSeq the record's {@code op_seq}, or -1 if it cannot be read
   * @param description what is wrong: altered, removed, reordered or unreadable
   */
  record Problem(Path file, long line, long opSeq, String description) {}
}
