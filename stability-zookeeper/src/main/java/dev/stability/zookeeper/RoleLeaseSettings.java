package dev.stability.zookeeper;

import dev.stability.api.ConfigurationException;
import java.time.Duration;
import java.util.Optional;

/**
 * The role lease of one system for one participant: which system's primary role it is, who takes
 * it, and the timing that keeps a holder from acknowledging after it may have lost the lease (see
 * {@link ZooKeeperRoleLease}). Margin and heartbeat default to fractions of the session timeout the
 * ensemble grants: the margin to 40 %, the heartbeat to 10 %. Immutable; validated when built.
 *
 * @param system the system whose primary role this is (one lease per system), e.g. {@code OMS}
 * @param participant who takes it, as others see it (e.g. the instance id); one line of text
 * @param margin how long before the session could expire the holder stops saying it holds the role;
 *     empty: 40 % of the granted session timeout
 * @param heartbeat how often the holder proves its session and its hold to the ensemble; empty: 10
 *     % of the granted session timeout
 */
public record RoleLeaseSettings(
    String system, String participant, Optional<Duration> margin, Optional<Duration> heartbeat) {

  /** Validates. */
  public RoleLeaseSettings {
    if (system == null || !system.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigurationException(
          "lease.system", system, "must be a name of letters, digits, '.', '_' and '-'");
    }
    if (participant == null || participant.isBlank() || participant.contains("\n")) {
      throw new ConfigurationException("lease.participant", participant, "must be one line");
    }
    margin = margin == null ? Optional.empty() : margin;
    heartbeat = heartbeat == null ? Optional.empty() : heartbeat;
    margin.ifPresent(m -> requirePositive("lease.margin", m));
    heartbeat.ifPresent(h -> requirePositive("lease.heartbeat", h));
    if (margin.isPresent()
        && heartbeat.isPresent()
        && heartbeat.get().compareTo(margin.get()) >= 0) {
      throw new ConfigurationException(
          "lease.heartbeat",
          heartbeat.get(),
          "must be shorter than lease.margin (" + margin.get() + ")");
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key, value, "must be positive");
    }
  }

  /** The lease of {@code system}'s primary role for {@code participant}, with default timing. */
  public static RoleLeaseSettings of(String system, String participant) {
    return new RoleLeaseSettings(system, participant, Optional.empty(), Optional.empty());
  }

  /** The same lease with an explicit margin and heartbeat. */
  public RoleLeaseSettings withTiming(Duration margin, Duration heartbeat) {
    return new RoleLeaseSettings(
        system, participant, Optional.ofNullable(margin), Optional.ofNullable(heartbeat));
  }

  /** The margin for a granted session timeout. */
  Duration marginFor(Duration session) {
    return margin.orElse(session.multipliedBy(2).dividedBy(5));
  }

  /** The heartbeat for a granted session timeout. */
  Duration heartbeatFor(Duration session) {
    return heartbeat.orElse(session.dividedBy(10));
  }

  /**
   * Checks the timing against a granted session timeout: the margin leaves room for at least two
   * heartbeats before the deadline, so one late answer does not lose a healthy lease.
   *
   * @return empty if it holds, else the rule broken
   */
  Optional<String> checkAgainst(Duration session) {
    Duration m = marginFor(session);
    Duration h = heartbeatFor(session);
    if (m.compareTo(session) >= 0 || session.minus(m).compareTo(h.multipliedBy(2)) < 0) {
      return Optional.of(
          "lease margin "
              + m.toMillis()
              + " ms and heartbeat "
              + h.toMillis()
              + " ms do not fit the granted session timeout of "
              + session.toMillis()
              + " ms: session - margin must be at least two heartbeats");
    }
    return Optional.empty();
  }
}
