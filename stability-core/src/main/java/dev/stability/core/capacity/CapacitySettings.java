package dev.stability.core.capacity;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import dev.stability.core.operations.TradingCalendar;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The application's key business indicators, the multiple each must reach, and where their peaks
 * are kept (R1). Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * CapacitySettings.builder()
 *     .indicators("orders", "trades", "bandwidth")
 *     .requiredMultiple("bandwidth", 2)                  // orders and trades keep the default 3
 *     .provisionedCapacity("bandwidth", 125_000_000)     // a 1 Gbit/s link, in bytes per second
 *     .calendar(TradingCalendar.chinaEquities().build()) // peaks only inside sessions
 *     .store(Path.of("/var/lib/oms/capacity.json"))
 *     .build();                                          // peak window: 12 months by default
 * }</pre>
 *
 * @param indicators indicator names, lower case ({@code orders}, {@code md.messages}), unique
 * @param store the file holding per-day peaks and tested capacity, or {@code null} to keep them in
 *     memory only (tests)
 * @param requiredHeadroom the multiple of the historical peak the capacity must reach for an
 *     indicator without its own {@code requiredMultiples} entry, 1 to 100; 3 by default (R1)
 * @param requiredMultiples per declared indicator, its own required multiple, 1 to 100
 * @param provisionedCapacities per declared indicator, the capacity provisioned for it in units per
 *     second (a link's bandwidth in bytes per second), positive and finite; used for headroom while
 *     no pressure test has recorded a tested capacity
 * @param peakWindow how far back the historical peak looks, counted in trading days back from
 *     today's: a day's peak counts while the day is after {@code today - peakWindow}; positive, at
 *     most 10 years; 12 months by default
 * @param calendar when set, only seconds inside its trading sessions count toward peaks, and
 *     "today" is {@link TradingCalendar#tradingDayAt the trading day} (night sessions belong to the
 *     next one); {@code null} counts every second and takes the calendar date of the runtime's
 *     clock
 * @param interfaceCounters per declared indicator, a network interface of this host (such as {@code
 *     eth0}) whose bytes received plus sent feed the indicator, read from Linux's {@code
 *     /proc/net/dev} once a second off the order path; for a bandwidth indicator where the host's
 *     traffic is the application's (a host shared with other services counts theirs too: then
 *     record the application's own bytes instead)
 * @param interfaceCountersFile where the interface counters are read, in {@code /proc/net/dev}'s
 *     format: {@link #DEFAULT_INTERFACE_COUNTERS_FILE} unless the host's {@code /proc} is mounted
 *     elsewhere (a container reading its node's counters)
 */
public record CapacitySettings(
    List<String> indicators,
    @Nullable Path store,
    double requiredHeadroom,
    Map<String, Double> requiredMultiples,
    Map<String, Double> provisionedCapacities,
    Period peakWindow,
    @Nullable TradingCalendar calendar,
    Map<String, String> interfaceCounters,
    Path interfaceCountersFile) {

  /** Where Linux publishes the network interfaces' byte counters. */
  public static final Path DEFAULT_INTERFACE_COUNTERS_FILE = Path.of("/proc/net/dev");

  /** A network interface name as Linux allows it: 1-15 characters, no space, '/' or ':'. */
  public static final Pattern INTERFACE_PATTERN = Pattern.compile("[A-Za-z0-9._@-]{1,15}");

  /** Indicator names: lower case letters, digits, '.', '_' and '-', 1-64 characters. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** The default window of the historical peak: 12 months. */
  public static final Period DEFAULT_PEAK_WINDOW = Period.ofMonths(12);

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
    requiredMultiples = perIndicator("capacity.required-multiples", requiredMultiples, seen);
    for (Map.Entry<String, Double> e : requiredMultiples.entrySet()) {
      Rules.between("capacity.required-multiples." + e.getKey(), e.getValue(), 1.0, 100.0);
    }
    provisionedCapacities = perIndicator("capacity.provisioned", provisionedCapacities, seen);
    for (Map.Entry<String, Double> e : provisionedCapacities.entrySet()) {
      double value = e.getValue();
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new ConfigurationException(
            "capacity.provisioned." + e.getKey(),
            value,
            "must be a positive, finite rate in units per second");
      }
    }
    interfaceCounters = perIndicator("capacity.interface-counters", interfaceCounters, seen);
    for (Map.Entry<String, String> e : interfaceCounters.entrySet()) {
      if (!INTERFACE_PATTERN.matcher(e.getValue()).matches()) {
        throw new ConfigurationException(
            "capacity.interface-counters." + e.getKey(),
            e.getValue(),
            "must name a network interface: 1-15 letters, digits, '.', '_', '@' or '-'");
      }
    }
    if (interfaceCountersFile == null) {
      throw new ConfigurationException("capacity.interface-counters-file", null, "must be set");
    }
    if (peakWindow == null) {
      throw new ConfigurationException("capacity.peak-window", null, "must be set");
    }
    LocalDate origin = LocalDate.of(2000, 1, 1);
    LocalDate end = origin.plus(peakWindow);
    if (peakWindow.isNegative() || !end.isAfter(origin) || end.isAfter(origin.plusYears(10))) {
      throw new ConfigurationException(
          "capacity.peak-window", peakWindow, "must be a positive period of at most 10 years");
    }
  }

  private static <V> Map<String, V> perIndicator(
      String key, Map<String, V> values, Set<String> declared) {
    if (values == null) {
      return Map.of();
    }
    Map<String, V> copy = new LinkedHashMap<>();
    for (Map.Entry<String, V> e : values.entrySet()) {
      String name = e.getKey();
      if (name == null || !declared.contains(name)) {
        throw new ConfigurationException(
            key + "." + name, e.getValue(), "is not a declared indicator; declared: " + declared);
      }
      if (e.getValue() == null) {
        throw new ConfigurationException(key + "." + name, null, "must be set");
      }
      copy.put(name, e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /** No indicators, no store, required headroom 3. */
  public static CapacitySettings none() {
    return builder().build();
  }

  /** Starts from no indicators, no store, a required headroom of 3 and a 12-month peak window. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store, if the peaks are persisted. */
  public Optional<Path> storePath() {
    return Optional.ofNullable(store);
  }

  /** The network interface whose counters feed {@code indicator}, if configured. */
  public Optional<String> interfaceCounter(String indicator) {
    return Optional.ofNullable(interfaceCounters.get(indicator));
  }

  /** The trading calendar peaks follow, if one is configured. */
  public Optional<TradingCalendar> tradingCalendar() {
    return Optional.ofNullable(calendar);
  }

  /** The multiple {@code indicator} must reach: its own, else {@link #requiredHeadroom()}. */
  public double requiredMultiple(String indicator) {
    Double own = requiredMultiples.get(indicator);
    return own == null ? requiredHeadroom : own;
  }

  /** The capacity provisioned for {@code indicator}, if configured. */
  public OptionalDouble provisionedCapacity(String indicator) {
    Double value = provisionedCapacities.get(indicator);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** Builds {@link CapacitySettings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final List<String> indicators = new ArrayList<>();
    private Path store;
    private double requiredHeadroom = 3.0;
    private final Map<String, Double> requiredMultiples = new LinkedHashMap<>();
    private final Map<String, Double> provisioned = new LinkedHashMap<>();
    private Period peakWindow = DEFAULT_PEAK_WINDOW;
    private TradingCalendar calendar;
    private final Map<String, String> interfaces = new LinkedHashMap<>();
    private Path interfaceCountersFile = DEFAULT_INTERFACE_COUNTERS_FILE;

    private Builder() {}

    /** Declares key indicators. */
    public Builder indicators(String... names) {
      indicators.addAll(List.of(names));
      return this;
    }

    /** The file that keeps per-day peaks and tested capacity across restarts. */
    public Builder store(@Nullable Path value) {
      this.store = value;
      return this;
    }

    /**
     * The multiple of the historical peak that capacity must reach for indicators without their own
     * {@link #requiredMultiple(String, double)} (default 3).
     */
    public Builder requiredHeadroom(double value) {
      this.requiredHeadroom = value;
      return this;
    }

    /** The multiple {@code indicator}'s capacity must reach (bandwidth 2 where R1 says 2x). */
    public Builder requiredMultiple(String indicator, double multiple) {
      requiredMultiples.put(indicator, multiple);
      return this;
    }

    /**
     * The capacity provisioned for {@code indicator} in units per second (a link's bandwidth in
     * bytes per second), used for headroom while no pressure test has recorded a tested capacity.
     */
    public Builder provisionedCapacity(String indicator, double unitsPerSecond) {
      provisioned.put(indicator, unitsPerSecond);
      return this;
    }

    /**
     * Feeds {@code indicator} with the bytes received plus sent on this host's network interface
     * {@code networkInterface} (Linux's {@code /proc/net/dev}, read once a second off the order
     * path): R1's bandwidth where the host's traffic is the application's. The runtime refuses to
     * start when the interface is not there; a read that fails later makes the capacity check
     * DEGRADED, naming it, until the counters can be read again.
     */
    public Builder interfaceCounters(String indicator, String networkInterface) {
      interfaces.put(indicator, networkInterface);
      return this;
    }

    /**
     * Reads the interface counters from {@code file} (in {@code /proc/net/dev}'s format) instead of
     * {@code /proc/net/dev}: for a container that mounts its host's {@code /proc} elsewhere.
     */
    public Builder interfaceCountersFile(Path file) {
      this.interfaceCountersFile = file;
      return this;
    }

    /** How far back the historical peak looks (default 12 months). */
    public Builder peakWindow(Period value) {
      this.peakWindow = value;
      return this;
    }

    /** Count peaks only inside this calendar's sessions, per trading day. */
    public Builder calendar(@Nullable TradingCalendar value) {
      this.calendar = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the key, value and rule of the first bad setting
     */
    public CapacitySettings build() {
      return new CapacitySettings(
          indicators,
          store,
          requiredHeadroom,
          requiredMultiples,
          provisioned,
          peakWindow,
          calendar,
          interfaces,
          interfaceCountersFile);
    }
  }
}
