package dev.stability.api.health;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * A named probe of one component (R3): the application implements it (or uses {@link #of}) and
 * registers it with the runtime, which runs it with a timeout, isolates its exceptions, caches its
 * answer and aggregates it with the others of the same {@link #kind()}. A check may block (it runs
 * on the SDK's health threads, never on the caller's), but it should answer well within its
 * timeout; one that throws or hangs is reported {@link HealthStatus#DOWN}.
 *
 * <p>The {@link #grade()} is the protection grade of the component checked (1 = most critical,
 * matching {@code ServiceIdentity.grade()}): a grade-1 check that is DOWN makes its kind DOWN; a
 * lower-grade check that is DOWN only degrades it.
 */
public interface HealthCheck {

  /** Check names: lower case, digits, '-', '_' and '.', 1-64 characters. */
  Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** The check's name, unique within a runtime; used as the {@code check} tag. */
  String name();

  /** What the check answers; readiness by default. */
  default HealthKind kind() {
    return HealthKind.READINESS;
  }

  /** Protection grade of the component, 1 (critical, the default) to 4. */
  default int grade() {
    return 1;
  }

  /**
   * Probes the component. May block; may throw (the exception becomes a DOWN result naming its type
   * and message).
   */
  HealthResult check() throws Exception;

  /**
   * A check from a lambda.
   *
   * @throws IllegalArgumentException naming a bad name, a null kind or a grade outside 1..4
   */
  static HealthCheck of(String name, HealthKind kind, int grade, Callable<HealthResult> probe) {
    if (name == null || !NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "health check name '"
              + name
              + "' must be lower case letters, digits, '.', '_' or '-', 1-64 characters");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(probe, "probe");
    if (grade < 1 || grade > 4) {
      throw new IllegalArgumentException(
          "health check '" + name + "': grade " + grade + " must be 1..4");
    }
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthKind kind() {
        return kind;
      }

      @Override
      public int grade() {
        return grade;
      }

      @Override
      public HealthResult check() throws Exception {
        return probe.call();
      }

      @Override
      public String toString() {
        return "HealthCheck[" + name + ", " + kind.label() + ", grade " + grade + "]";
      }
    };
  }
}
