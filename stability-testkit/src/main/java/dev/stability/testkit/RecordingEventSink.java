package dev.stability.testkit;

import dev.stability.api.event.EventCode;
import dev.stability.api.event.EventSink;
import dev.stability.api.event.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An {@link EventSink} for tests: keeps every record and JSON line a runtime wrote, in order, and
 * lets a test wait for a record. Thread-safe. Add it with {@code
 * StabilityRuntime.builder(identity).eventSink(sink)}; the JUnit extension of the testkit will wire
 * it for you.
 */
public final class RecordingEventSink implements EventSink {

  private final List<LogRecord> records = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  /** Creates an empty sink. */
  public RecordingEventSink() {}

  @Override
  public synchronized void accept(LogRecord record, String jsonLine) {
    records.add(record);
    lines.add(jsonLine);
    notifyAll();
  }

  /** Every record received so far, in order. */
  public synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Every JSON line received so far, in order. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The records with the given code, in order. */
  public synchronized List<LogRecord> records(EventCode code) {
    List<LogRecord> matching = new ArrayList<>();
    for (LogRecord record : records) {
      if (code.code().equals(record.code())) {
        matching.add(record);
      }
    }
    return matching;
  }

  /**
   * Waits until a record matching {@code predicate} arrives.
   *
   * @return the first matching record, or empty if none arrived within the timeout
   */
  public synchronized Optional<LogRecord> await(Predicate<LogRecord> predicate, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < records.size(); checked++) {
        if (predicate.test(records.get(checked))) {
          return Optional.of(records.get(checked));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits for a record with the given code; see {@link #await(Predicate, Duration)}. */
  public Optional<LogRecord> await(EventCode code, Duration timeout) throws InterruptedException {
    return await(record -> code.code().equals(record.code()), timeout);
  }

  /** Forgets everything received so far. */
  public synchronized void clear() {
    records.clear();
    lines.clear();
  }
}
