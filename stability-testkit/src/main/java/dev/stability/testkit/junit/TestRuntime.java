package dev.stability.testkit.junit;

import dev.stability.api.event.EventCode;
import dev.stability.api.event.LogRecord;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.testkit.RecordingEventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One test's stability runtime and everything captured from it: events (records and JSON lines),
 * meters, the manual clock if any, and a temporary directory for journals and logs. Assertions read
 * as sentences: {@code expectEvent(GUARD_CIRCUIT_OPENED).forGuard("x").within(ofSeconds(2))},
 * {@code expectMetric("stability.guard.calls").tag("outcome", "SHED").increasedBy(3)}, {@code
 * expectNoRecordLost()}. Thread-safe.
 */
public final class TestRuntime implements AutoCloseable {

  private final StabilityRuntime runtime;
  private final RecordingEventSink events;
  private final SimpleMeterRegistry registry;
  private final ManualClock clock;
  private final Path tempDir;
  private final Map<Meter.Id, Double> baseline = new ConcurrentHashMap<>();

  TestRuntime(
      StabilityRuntime runtime,
      RecordingEventSink events,
      SimpleMeterRegistry registry,
      ManualClock clock,
      Path tempDir) {
    this.runtime = runtime;
    this.events = events;
    this.registry = registry;
    this.clock = clock;
    this.tempDir = tempDir;
    for (Meter meter : registry.getMeters()) {
      baseline.put(meter.getId(), count(meter));
    }
  }

  /** The runtime under test. */
  public StabilityRuntime runtime() {
    return runtime;
  }

  /** Every record the runtime wrote, with its JSON line. */
  public RecordingEventSink events() {
    return events;
  }

  /** The runtime's own meter registry. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The manual clock, when the test asked for one. */
  public Optional<ManualClock> clock() {
    return Optional.ofNullable(clock);
  }

  /** A temporary directory of this test, deleted afterwards. */
  public Path tempDir() {
    return tempDir;
  }

  /** Starts an assertion on events with this code. */
  public EventExpectation expectEvent(EventCode code) {
    return new EventExpectation(this, code);
  }

  /** Starts an assertion on the meters with this name. */
  public MetricExpectation expectMetric(String name) {
    return new MetricExpectation(this, name);
  }

  /**
   * Asserts that every published record was delivered and none was dropped.
   *
   * @throws AssertionError naming how many were dropped or still pending
   */
  public void expectNoRecordLost() {
    try {
      if (!runtime.events().awaitDelivery(Duration.ofSeconds(10))) {
        throw new AssertionError("records still pending after 10 s: event output is stuck");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for event delivery", e);
    }
    long dropped = runtime.events().dropped();
    if (dropped > 0) {
      throw new AssertionError(dropped + " records were dropped (event queue full)");
    }
  }

  /** Records with this code received so far. */
  List<LogRecord> records(EventCode code) {
    return events.records(code);
  }

  /** Sum of the counts of the matching meters, minus their counts when the test started. */
  double increaseOf(String name, List<Tag> tags) {
    double total = 0;
    for (Meter meter : matching(name, tags)) {
      total += count(meter) - baseline.getOrDefault(meter.getId(), 0.0);
    }
    return total;
  }

  List<Meter> matching(String name, List<Tag> tags) {
    List<Meter> out = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (meter.getId().getName().equals(name) && meter.getId().getTags().containsAll(tags)) {
        out.add(meter);
      }
    }
    return out;
  }

  private static double count(Meter meter) {
    if (meter instanceof Counter counter) {
      return counter.count();
    }
    if (meter instanceof FunctionCounter counter) {
      return counter.count();
    }
    if (meter instanceof Timer timer) {
      return timer.count();
    }
    if (meter instanceof FunctionTimer timer) {
      return timer.count();
    }
    double value = 0;
    for (var measurement : meter.measure()) {
      value = measurement.getValue();
    }
    return value;
  }

  /** Closes the runtime. */
  @Override
  public void close() {
    runtime.close();
  }
}
