package dev.stability.spring.autoconfigure.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.api.ServiceIdentity;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.spring.autoconfigure.StabilityProperties;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns each {@code stability.*} group into the SDK's settings. Validation is the SDK's own; its
 * {@link ConfigurationException} is re-keyed to the property a user wrote ({@code
 * ServiceIdentity.instanceId} becomes {@code stability.identity.instance-id}, {@code
 * health.timeout} becomes {@code stability.health.timeout}), value and rule unchanged.
 */
public final class PropertySettings {

  private PropertySettings() {}

  /** The identity; every field is checked by {@link ServiceIdentity}. */
  public static ServiceIdentity identity(StabilityProperties.Identity p) {
    return build(
        () -> {
          ServiceIdentity.Builder b = ServiceIdentity.builder();
          b.systemCode(p.systemCode()).subsystem(p.subsystem()).instanceId(p.instanceId());
          set(p.site(), b::site);
          set(p.role(), b::role);
          set(p.grade(), b::grade);
          return b.build();
        });
  }

  /** The health settings. */
  public static HealthSettings health(StabilityProperties.Health p) {
    return build(
        () -> {
          HealthSettings.Builder b = HealthSettings.builder();
          set(p.timeout(), b::timeout);
          set(p.cacheFor(), b::cacheFor);
          set(p.pollEvery(), b::pollEvery);
          set(p.builtInChecks(), b::builtInChecks);
          return b.build();
        });
  }

  /** The capacity settings. */
  public static CapacitySettings capacity(StabilityProperties.Capacity p) {
    return build(
        () -> {
          CapacitySettings.Builder b = CapacitySettings.builder();
          if (p.indicators() != null) {
            b.indicators(p.indicators().toArray(String[]::new));
          }
          set(p.store(), b::store);
          set(p.requiredHeadroom(), b::requiredHeadroom);
          if (p.requiredMultiples() != null) {
            p.requiredMultiples().forEach(b::requiredMultiple);
          }
          if (p.provisioned() != null) {
            p.provisioned().forEach(b::provisionedCapacity);
          }
          if (p.interfaceCounters() != null) {
            p.interfaceCounters().forEach(b::interfaceCounters);
          }
          set(p.interfaceCountersFile(), b::interfaceCountersFile);
          set(p.peakWindow(), b::peakWindow);
          if (p.calendar() != null && !p.calendar().isBlank()) {
            b.calendar(calendar("capacity.calendar", p.calendar()));
          }
          return b.build();
        });
  }

  /** The operation settings. */
  public static OperationSettings operations(StabilityProperties.Operations p) {
    return build(
        () -> {
          OperationSettings.Builder b = OperationSettings.builder();
          if (p.calendar() != null && !p.calendar().isBlank()) {
            b.calendar(calendar("operations.calendar", p.calendar()));
          }
          set(p.changeWindowMargin(), b::changeWindowMargin);
          set(p.maxFrozenBreak(), b::maxFrozenBreak);
          set(p.logFile(), b::logFile);
          set(p.retention(), b::retention);
          set(p.approvalTimeout(), b::approvalTimeout);
          if (p.chainKey() != null) {
            b.chainKey(p.chainKey().getBytes(StandardCharsets.UTF_8));
          }
          return b.build();
        });
  }

  private static TradingCalendar calendar(String key, String name) {
    if (name.trim().toLowerCase(Locale.ROOT).equals("china-equities")) {
      return TradingCalendar.chinaEquities().build();
    }
    throw new ConfigurationException(key, name, "must be china-equities, or unset for no calendar");
  }

  /**
   * The property a user wrote for an SDK key: {@code stability.} before the SDK's document keys
   * ({@code guards.*}, {@code health.*}, ...), and {@code ServiceIdentity.grade} as {@code
   * stability.identity.grade}.
   */
  public static String propertyKey(String sdkKey) {
    if (sdkKey.startsWith("ServiceIdentity.")) {
      return "stability.identity." + dashed(sdkKey.substring("ServiceIdentity.".length()));
    }
    for (String group : new String[] {"guards", "health", "capacity", "operations", "ops"}) {
      if (sdkKey.equals(group) || sdkKey.startsWith(group + ".")) {
        return "stability." + sdkKey;
      }
    }
    return sdkKey;
  }

  /** The same error under the property's key. */
  public static ConfigurationException rekeyed(ConfigurationException e) {
    String key = propertyKey(e.key());
    return key.equals(e.key()) ? e : e.forKey(key);
  }

  private static String dashed(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static <T> T build(Supplier<T> settings) {
    try {
      return settings.get();
    } catch (ConfigurationException e) {
      throw rekeyed(e);
    }
  }

  static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
