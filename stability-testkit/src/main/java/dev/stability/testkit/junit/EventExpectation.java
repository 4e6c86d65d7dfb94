package dev.stability.testkit.junit;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import io.micrometer.core.instrument.Tag;
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
  private String guard;

  EventExpectation(TestRuntime runtime, EventCode code) {
    this.runtime = runtime;
    this.code = code;
  }

  /** Only events about this guard. */
  public EventExpectation forGuard(String guard) {
    this.guard = guard;
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
   * Waits for a matching event, in real time also when the test runs on a manual clock: events are
   * delivered on the runtime's own event thread, which advancing the manual clock does not drive.
   *
   * @return the first matching record
   * @throws AssertionError listing the codes seen when none arrives within {@code timeout}; for
   *     {@code GUARD_CIRCUIT_OPENED}, also how many calls the guard's breaker needs before it
   *     evaluates its failure rate ({@code circuit-breaker.minimum-number-of-calls}) and how many
   *     went through it
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
                          + seen()
                          + breakerHint()));
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

  /**
   * Why a breaker may not have opened: with the default settings it evaluates nothing before 100
   * calls, which a test's handful of failures never reaches.
   */
  private String breakerHint() {
    if (!StabilityEventCode.GUARD_CIRCUIT_OPENED.code().equals(code.code())) {
      return "";
    }
    List<String> hints = new ArrayList<>();
    if (guard != null) {
      try {
        hints.add(breakerHint(runtime.runtime().guards().guard(guard)));
      } catch (ConfigurationException e) {
        hints.add(e.getMessage());
      }
    } else {
      for (Guard each : runtime.runtime().guards().all()) {
        if (each.settings().circuitBreaker().isPresent()) {
          hints.add(breakerHint(each));
        }
      }
    }
    return hints.isEmpty() ? "" : "; " + String.join("; ", hints);
  }

  private String breakerHint(Guard guard) {
    String name = "guard '" + guard.name() + "'";
    if (guard.settings().circuitBreaker().isEmpty()) {
      return name + " has no circuit breaker";
    }
    CircuitBreakerSettings breaker = guard.settings().circuitBreaker().get();
    boolean count = breaker.slidingWindowType() == CircuitBreakerSettings.WindowType.COUNT_BASED;
    int minimum =
        count
            ? Math.min(breaker.minimumNumberOfCalls(), breaker.slidingWindowSize())
            : breaker.minimumNumberOfCalls();
    long calls =
        Math.round(
            runtime.increaseOf("stability.guard.calls", List.of(Tag.of("guard", guard.name()))));
    return name
        + " is "
        + guard.circuitState()
        + ": its breaker evaluates its failure rate ("
        + breaker.failureRateThreshold()
        + "%) only once its window ("
        + breaker.slidingWindowSize()
        + (count ? " calls" : " s")
        + ") holds "
        + minimum
        + " calls (circuit-breaker.minimum-number-of-calls, sliding-window-size in the guard"
        + " document); "
        + calls
        + " went through it in this test";
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
