package dev.stability.core.journal;

import dev.stability.api.ConfigurationException;
import java.time.Duration;

/**
 * When the file journal forces appended records to storage, which decides what {@code
 * durableSequence()} promises (R9). Records are written into memory-mapped segment files, so a
 * record is in the operating system's page cache as soon as {@code append} returns:
 *
 * <ul>
 *   <li>{@link #os()}: durable = appended. Survives a crash of the process (kill -9 included);
 *       after a crash of the machine or the operating system, the records the OS had not written
 *       back yet (typically up to about 30 s) are lost. Fastest.
 *   <li>{@link #batch(int, Duration)}: durable = forced by a flusher thread, started every {@code
 *       records} appends or every {@code interval}, whichever comes first; appends do not wait for
 *       it. Survives a machine crash up to the last forced sequence; the window of loss is bounded
 *       by the batch and one force.
 *   <li>{@link #everyRecord()}: each append forces its record before returning. Survives a machine
 *       crash for every appended record; each append pays a storage flush.
 * </ul>
 *
 * In every policy a record is acknowledged only once {@code durableSequence()} covers it, so
 * nothing acknowledged is lost within what the policy promises. Immutable.
 *
 * @param kind which policy
 * @param records for {@code BATCH}: force after this many appends
 * @param interval for {@code BATCH}: force at least this often
 */
public record FlushPolicy(Kind kind, int records, Duration interval) {

  /** The policies. */
  public enum Kind {
    /** Force every record. */
    EVERY_RECORD,
    /** Force every N records or T. */
    BATCH,
    /** Leave it to the operating system. */
    OS
  }

  /** Validates. */
  public FlushPolicy {
    if (kind == null) {
      throw new ConfigurationException("journal.flush", null, "must be set");
    }
    if (kind == Kind.BATCH) {
      if (records < 1 || records > 1_000_000) {
        throw new ConfigurationException("journal.flush.records", records, "must be 1..1000000");
      }
      if (interval == null || interval.toMillis() < 1 || interval.toSeconds() > 60) {
        throw new ConfigurationException(
            "journal.flush.interval", interval, "must be between 1 ms and 60 s");
      }
    }
  }

  /** Force every record before its append returns. */
  public static FlushPolicy everyRecord() {
    return new FlushPolicy(Kind.EVERY_RECORD, 1, Duration.ZERO);
  }

  /** Force every {@code records} appends or every {@code interval}. */
  public static FlushPolicy batch(int records, Duration interval) {
    return new FlushPolicy(Kind.BATCH, records, interval);
  }

  /** Let the operating system write back; durable against a process crash only. */
  public static FlushPolicy os() {
    return new FlushPolicy(Kind.OS, 0, Duration.ZERO);
  }
}
