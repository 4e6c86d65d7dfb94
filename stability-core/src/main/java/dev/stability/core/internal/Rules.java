package dev.stability.core.internal;

import dev.stability.api.ConfigurationException;
import java.time.Duration;

/**
 * Validation helpers shared by every configuration of the SDK; each failure names key, value and
 * rule. Internal.
 */
public final class Rules {
  private Rules() {}

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigurationException(key, value, "must be >= " + min);
    }
    return value;
  }

  public static int between(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigurationException(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  public static double between(String key, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new ConfigurationException(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  public static Duration notNegative(String key, Duration value) {
    if (value == null) {
      throw new ConfigurationException(key, null, "must be set");
    }
    if (value.isNegative()) {
      throw new ConfigurationException(key, value, "must not be negative");
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    if (value == null) {
      throw new ConfigurationException(key, null, "must be set");
    }
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key, value, "must be a positive duration");
    }
    return value;
  }
}
