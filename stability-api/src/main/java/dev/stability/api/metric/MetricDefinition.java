package dev.stability.api.metric;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A metric in the catalog: name (Micrometer style, dot-separated, lower case), type, base unit,
 * required tags and meaning. Every meter the SDK registers is an instance of a definition; a test
 * fails if one is registered that the catalog lacks. Implementations must be immutable.
 */
public interface MetricDefinition {

  /** Tags the runtime adds to every SDK meter: the system code and the instance id. */
  List<String> BASE_TAGS = List.of("system", "instance");

  /** The Micrometer meter name, e.g. {@code stability.guard.calls}. */
  String metricName();

  /** The meter type. */
  MetricType type();

  /** The base unit ({@code seconds}, {@code bytes}, ...), or {@code null} for a plain number. */
  @Nullable String baseUnit();

  /** Tags each meter must carry besides {@link #BASE_TAGS}; values come from bounded sets. */
  List<String> tags();

  /** What the metric measures and how to read it. */
  String meaning();

  /**
   * The name under which Prometheus exposes the metric (for timers, the base of the {@code _count},
   * {@code _sum} and {@code _max} series): snake case, unit suffix, and {@code _total} for
   * counters.
   */
  default String prometheusName() {
    String name = metricName().replace('.', '_').toLowerCase(Locale.ROOT);
    String unit = baseUnit();
    if (unit != null && !name.endsWith("_" + unit)) {
      name = name + "_" + unit;
    }
    return type() == MetricType.COUNTER ? name + "_total" : name;
  }
}
