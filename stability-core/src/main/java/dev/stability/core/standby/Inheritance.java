package dev.stability.core.standby;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a promoted standby took over from its old primary ({@link WarmStandby#inherit()}).
 *
 * @param from the old primary's instance id ({@code ""} when nothing was received)
 * @param age how old the state was when taken over
 * @param stale whether it was older than the configured bound
 * @param guards per guard: what was applied ("open, 2300 ms of its wait left", "forced open",
 *     "site-local: starts fresh", ...)
 * @param capacity per indicator: what was applied
 * @param health per check: what was shown
 * @param operationLogFrom the old primary's op_seq the operation log continues from (0: the chain
 *     was not continued)
 */
public record Inheritance(
    String from,
    Duration age,
    boolean stale,
    Map<String, String> guards,
    Map<String, String> capacity,
    Map<String, String> health,
    long operationLogFrom) {

  /** Copies the maps, keeping their order. */
  public Inheritance {
    guards = Collections.unmodifiableMap(new LinkedHashMap<>(guards));
    capacity = Collections.unmodifiableMap(new LinkedHashMap<>(capacity));
    health = Collections.unmodifiableMap(new LinkedHashMap<>(health));
  }

  /** Nothing was received: the standby took over cold. */
  public static Inheritance none() {
    return new Inheritance("", Duration.ZERO, false, Map.of(), Map.of(), Map.of(), 0);
  }

  /** Whether anything was taken over. */
  public boolean warm() {
    return !from.isEmpty();
  }
}
