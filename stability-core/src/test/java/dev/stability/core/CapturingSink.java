package dev.stability.core;

import dev.stability.api.event.EventSink;
import dev.stability.api.event.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Test sink keeping every record and line it received. Thread-safe. */
public final class CapturingSink implements EventSink {
  private final List<LogRecord> records = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void accept(LogRecord record, String jsonLine) {
    records.add(record);
    lines.add(jsonLine);
  }

  public synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  public synchronized List<LogRecord> withCode(String code) {
    return records.stream().filter(r -> code.equals(r.code())).toList();
  }

  public synchronized long count(Predicate<LogRecord> predicate) {
    return records.stream().filter(predicate).count();
  }
}
