package dev.stability.testkit.junit;

import dev.stability.api.event.EventCode;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An assertion on the events of a {@link TestRuntime}, narrowed step by step and checked by a
 * terminal call ({@link #within}, {@link #never}, {@link #times}). Not thread-safe; create one per
 * assertion.
 */
public final class EventExpectation {

  private final TestRuntime runtime;
  private final EventCode code;
  private final List<Predicate<LogRecord>> filters = new ArrayList<>();
  private final List<String> described = new ArrayList<>();

  EventExpectation(TestRuntime runtime, EventCode code) {
    this.runtime = runtime;
    this.code = code;
  }

  /** Only events about this guard. */
  public EventExpectation forGuard(String guard) {
    return where(LogField.GUARD, guard);
  }

  /** Only events whose field has this value (text form). */
  public EventExpectation where(LogField field, String value) {
    filters.add(r -> Objects.equals(r.text(field), value));
    described.add(field.key() + "=" + value);
    return this;
  }

  /** Only events with this attribute value. */
  public EventExpectation withAttr(String key, String value) {
    filters.add(r -> Objects.equals(r.attrs().get(key), value));
    described.add("attrs." + key + "=" + value);
    return this;
  }

  /**
   * Waits for a matching event.
   *
   * @return the first matching record
   * @throws AssertionError listing the codes seen when none arrives within {@code timeout}
   */
  public LogRecord within(Duration timeout) {
    try {
      return runtime
          .events()
          .await(r -> code.code().equals(r.code()) && matches(r), timeout)
          .orElseThrow(
              () ->
                  new AssertionError(
                      "expected an event "
                          + describe()
                          + " within "
                          + timeout.toMillis()
                          + " ms; got "
                          + seen()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + describe(), e);
    }
  }

  /** Asserts that exactly {@code count} matching events were delivered (after delivery settles). */
  public void times(int count) {
    runtime.expectNoRecordLost();
    long actual = runtime.records(code).stream().filter(this::matches).count();
    if (actual != count) {
      throw new AssertionError(
          "expected "
              + count
              + " events "
              + describe()
              + " but got "
              + actual
              + "; seen "
              + seen());
    }
  }

  /** Asserts that no matching event was delivered. */
  public void never() {
    times(0);
  }

  private boolean matches(LogRecord record) {
    for (Predicate<LogRecord> filter : filters) {
      if (!filter.test(record)) {
        return false;
      }
    }
    return true;
  }

  private String describe() {
    return code.code() + (described.isEmpty() ? "" : " " + described);
  }

  private List<String> seen() {
    List<String> codes = new ArrayList<>();
    for (LogRecord record : runtime.events().records()) {
      codes.add(
          record.code()
              + (record.has(LogField.GUARD) ? "(" + record.text(LogField.GUARD) + ")" : ""));
    }
    return codes;
  }
}
