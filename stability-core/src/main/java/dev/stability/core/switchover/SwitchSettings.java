package dev.stability.core.switchover;

import dev.stability.api.ConfigurationException;
import java.time.Duration;

/**
 * Bounds of the switch controller (R9, R18). Immutable.
 *
 * @param service the service name clients look up in the endpoint registry
 * @param standbyAddress the address clients reach the standby at once it is primary
 * @param maxLagToStart the standby may be at most this many records behind for the switch to start
 *     (it then drains to exactly the primary's last record)
 * @param drainTimeout how long the standby may take to apply the rest
 */
public record SwitchSettings(
    String service, String standbyAddress, long maxLagToStart, Duration drainTimeout) {

  /** Validates. */
  public SwitchSettings {
    if (service == null || service.isBlank()) {
      throw new ConfigurationException("switch.service", service, "must be set");
    }
    if (standbyAddress == null || standbyAddress.isBlank()) {
      throw new ConfigurationException("switch.standby-address", standbyAddress, "must be set");
    }
    if (maxLagToStart < 0) {
      throw new ConfigurationException("switch.max-lag-to-start", maxLagToStart, "must be >= 0");
    }
    if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.isZero()) {
      throw new ConfigurationException("switch.drain-timeout", drainTimeout, "must be positive");
    }
  }

  /** Settings with a lag bound of 10000 records and a 10 s drain. */
  public static SwitchSettings of(String service, String standbyAddress) {
    return new SwitchSettings(service, standbyAddress, 10_000, Duration.ofSeconds(10));
  }
}
