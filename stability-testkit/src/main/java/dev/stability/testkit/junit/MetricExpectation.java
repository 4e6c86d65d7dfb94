package dev.stability.testkit.junit;

import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * An assertion on the meters of a {@link TestRuntime} with one name, narrowed by tags. Counts are
 * counter values and timer counts, summed over matching meters, relative to the start of the test.
 */
public final class MetricExpectation {

  private final TestRuntime runtime;
  private final String name;
  private final List<Tag> tags = new ArrayList<>();

  MetricExpectation(TestRuntime runtime, String name) {
    this.runtime = runtime;
    this.name = name;
  }

  /** Only meters with this tag. */
  public MetricExpectation tag(String key, String value) {
    tags.add(Tag.of(key, value));
    return this;
  }

  /**
   * Asserts the matching meters' count grew by exactly {@code expected} since the test started.
   *
   * @throws AssertionError naming the meter, its tags, the expected and actual increase
   */
  public void increasedBy(double expected) {
    if (runtime.matching(name, tags).isEmpty()) {
      throw new AssertionError("no meter " + name + tags + " is registered");
    }
    double actual = runtime.increaseOf(name, tags);
    if (Double.compare(actual, expected) != 0) {
      throw new AssertionError(
          "expected "
              + name
              + tags
              + " to increase by "
              + expected
              + " but it increased by "
              + actual);
    }
  }
}
