package dev.stability.core.standby;

import dev.stability.api.ConfigurationException;
import java.time.Duration;

/**
 * How a runtime carries its state to a warm standby and takes it over at a switch. Immutable; the
 * defaults suit most systems ({@link #defaults()}).
 *
 * @param staleAfter state received longer ago than this when the standby is promoted is reported as
 *     stale ({@code WARM_STATE_STALE}): applied, but the operators are told breakers and limits may
 *     be out of date; default 5 s
 * @param maxOperationLogBytes at most this many bytes of operation-log records in one state message
 *     (a standby far behind catches up over several); default 48 KiB, well within Aeron's largest
 *     message on its default term length
 */
public record WarmStandbySettings(Duration staleAfter, int maxOperationLogBytes) {

  /** Validates; names the key, the value and the rule. */
  public WarmStandbySettings {
    if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
      throw new ConfigurationException(
          "warm-standby.stale-after", staleAfter, "must be a positive duration");
    }
    if (maxOperationLogBytes < 1024 || maxOperationLogBytes > 16 * 1024 * 1024) {
      throw new ConfigurationException(
          "warm-standby.max-operation-log-bytes",
          maxOperationLogBytes,
          "must be between 1024 and 16777216 bytes");
    }
  }

  /** Stale after 5 s, 48 KiB of operation-log records per message. */
  public static WarmStandbySettings defaults() {
    return new WarmStandbySettings(Duration.ofSeconds(5), 48 * 1024);
  }

  /** These settings with another staleness bound. */
  public WarmStandbySettings withStaleAfter(Duration value) {
    return new WarmStandbySettings(value, maxOperationLogBytes);
  }

  /** These settings with another per-message bound on operation-log bytes. */
  public WarmStandbySettings withMaxOperationLogBytes(int value) {
    return new WarmStandbySettings(staleAfter, value);
  }
}
