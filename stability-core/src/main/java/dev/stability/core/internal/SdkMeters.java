package dev.stability.core.internal;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.metric.MetricDefinition;
import dev.stability.api.metric.MetricType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The only way SDK code registers meters: each one must come from a {@link MetricDefinition} of the
 * catalog, with exactly the definition's tags, plus the runtime's base tags. Remembers what it
 * registered so that closing the runtime removes it. Registration is the rare path; the returned
 * meters are pre-bound and cheap to use on the hot path. Internal: not part of the public API.
 */
public final class SdkMeters implements AutoCloseable {

  private final MeterRegistry registry;
  private final Tags baseTags;
  private final List<Meter> registered = new ArrayList<>();

  /** Creates the factory for one runtime. */
  public SdkMeters(MeterRegistry registry, ServiceIdentity identity) {
    this.registry = registry;
    this.baseTags = Tags.of("system", identity.systemCode(), "instance", identity.instanceId());
  }

  /** The registry meters are published into. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Registers (or finds) a counter of the catalog. */
  public Counter counter(MetricDefinition definition, String... tagKeyValues) {
    Tags tags = tags(definition, MetricType.COUNTER, tagKeyValues);
    Counter.Builder builder = Counter.builder(definition.metricName()).tags(tags);
    if (definition.baseUnit() != null) {
      builder.baseUnit(definition.baseUnit());
    }
    return remember(builder.description(definition.meaning()).register(registry));
  }

  /**
   * Registers a counter of the catalog whose value is read from {@code target}: for hot paths that
   * keep their own cheap counter (see capacity indicators).
   */
  public <T> FunctionCounter functionCounter(
      MetricDefinition definition, T target, ToDoubleFunction<T> count, String... tagKeyValues) {
    Tags tags = tags(definition, MetricType.COUNTER, tagKeyValues);
    FunctionCounter.Builder<T> builder =
        FunctionCounter.builder(definition.metricName(), target, count)
            .tags(tags)
            .description(definition.meaning());
    if (definition.baseUnit() != null) {
      builder.baseUnit(definition.baseUnit());
    }
    return remember(builder.register(registry));
  }

  /** Registers (or finds) a timer of the catalog. */
  public Timer timer(MetricDefinition definition, String... tagKeyValues) {
    Tags tags = tags(definition, MetricType.TIMER, tagKeyValues);
    return remember(
        Timer.builder(definition.metricName())
            .tags(tags)
            .description(definition.meaning())
            .register(registry));
  }

  /** Registers a gauge of the catalog that samples {@code function} on {@code target}. */
  public <T> Gauge gauge(
      MetricDefinition definition, T target, ToDoubleFunction<T> function, String... tagKeyValues) {
    Tags tags = tags(definition, MetricType.GAUGE, tagKeyValues);
    Gauge.Builder<T> builder =
        Gauge.builder(definition.metricName(), target, function)
            .tags(tags)
            .description(definition.meaning());
    if (definition.baseUnit() != null) {
      builder.baseUnit(definition.baseUnit());
    }
    return remember(builder.strongReference(true).register(registry));
  }

  /**
   * Registers a timer of the catalog whose count and total time are read from {@code target}: for
   * hot paths that keep their own cheap counters (see the guards).
   */
  public <T> FunctionTimer functionTimer(
      MetricDefinition definition,
      T target,
      ToLongFunction<T> count,
      ToDoubleFunction<T> totalTime,
      TimeUnit totalTimeUnit,
      String... tagKeyValues) {
    Tags tags = tags(definition, MetricType.TIMER, tagKeyValues);
    return remember(
        FunctionTimer.builder(definition.metricName(), target, count, totalTime, totalTimeUnit)
            .tags(tags)
            .description(definition.meaning())
            .register(registry));
  }

  private synchronized <M extends Meter> M remember(M meter) {
    registered.add(meter);
    return meter;
  }

  private Tags tags(MetricDefinition definition, MetricType expected, String... tagKeyValues) {
    if (definition.type() != expected) {
      throw new IllegalArgumentException(
          "metric '"
              + definition.metricName()
              + "' is a "
              + definition.type()
              + " in the catalog, not a "
              + expected);
    }
    if (tagKeyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "metric '" + definition.metricName() + "': tags must be key/value pairs");
    }
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < tagKeyValues.length; i += 2) {
      keys.add(tagKeyValues[i]);
    }
    if (!keys.equals(new HashSet<>(definition.tags()))) {
      throw new IllegalArgumentException(
          "metric '"
              + definition.metricName()
              + "' needs exactly the tags "
              + definition.tags()
              + ", got "
              + keys);
    }
    return baseTags.and(tagKeyValues);
  }

  /** Removes every meter this factory registered from the registry. */
  @Override
  public synchronized void close() {
    for (Meter meter : registered) {
      registry.remove(meter);
    }
    registered.clear();
  }
}
