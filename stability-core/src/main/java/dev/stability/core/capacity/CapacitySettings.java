package dev.stability.core.capacity;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The application's key business indicators and where their peaks are kept (R1). Immutable; build
 * with {@link #builder()}.
 *
 * <pre>{@code
 * CapacitySettings.builder()
 *     .indicators("orders", "trades")
 *     .store(Path.of("/var/lib/oms/capacity.json"))
 *     .build();
 * }</pre>
 *
 * @param indicators indicator names, lower case ({@code orders}, {@code md.messages}), unique
 * @param store the file holding historical peaks and tested capacity, or {@code null} to keep them
 *     in memory only (tests)
 * @param requiredHeadroom the multiple of the historical peak the tested capacity must reach, 1 to
 *     100; 3 by default (R1)
 */
public record CapacitySettings(List<String> indicators, Path store, double requiredHeadroom) {

  /** Indicator names: lower case letters, digits, '.', '_' and '-', 1-64 characters. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** Validates and copies. */
  public CapacitySettings {
    if (indicators == null) {
      throw new ConfigurationException("capacity.indicators", null, "must be set");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String name : indicators) {
      if (name == null || !NAME_PATTERN.matcher(name).matches()) {
        throw new ConfigurationException(
            "capacity.indicators",
            name,
            "an indicator name must start with a lower case letter, then letters, digits, '.',"
                + " '_' or '-', 1-64 characters");
      }
      if (!seen.add(name)) {
        throw new ConfigurationException("capacity.indicators", name, "must be declared only once");
      }
    }
    indicators = List.copyOf(indicators);
    Rules.between("capacity.required-headroom", requiredHeadroom, 1.0, 100.0);
  }

  /** No indicators, no store, required headroom 3. */
  public static CapacitySettings none() {
    return builder().build();
  }

  /** Starts from no indicators, no store and a required headroom of 3. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store, if the peaks are persisted. */
  public Optional<Path> storePath() {
    return Optional.ofNullable(store);
  }

  /** Builds {@link CapacitySettings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final List<String> indicators = new ArrayList<>();
    private Path store;
    private double requiredHeadroom = 3.0;

    private Builder() {}

    /** Declares key indicators. */
    public Builder indicators(String... names) {
      indicators.addAll(List.of(names));
      return this;
    }

    /** The file that keeps historical peaks and tested capacity across restarts. */
    public Builder store(Path value) {
      this.store = value;
      return this;
    }

    /** The multiple of the historical peak that tested capacity must reach (default 3). */
    public Builder requiredHeadroom(double value) {
      this.requiredHeadroom = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the key, value and rule of the first bad setting
     */
    public CapacitySettings build() {
      return new CapacitySettings(indicators, store, requiredHeadroom);
    }
  }
}
