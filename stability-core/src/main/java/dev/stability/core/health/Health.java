package dev.stability.core.health;

import dev.stability.api.ConfigurationException;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import java.time.Duration;
import java.util.List;

/**
 * The runtime's health checks, reached through {@code runtime.health()} (R3, R7): registration,
 * status by kind, and the pre-open trading-readiness report. Checks run on the SDK's health threads
 * with a per-check timeout, so a check that hangs is reported DOWN ("timed out after N ms") and
 * never holds up the other checks or the caller for longer than the timeout; a check that throws is
 * DOWN with the exception's type and message. Every status change of a check or of a kind's
 * aggregate is published as a {@code HEALTH_STATUS_CHANGED} event and shows in the {@code
 * stability.health.status} gauges. Thread-safe.
 *
 * <p>Aggregation per kind: the worst {@link CheckResult#effectiveStatus()} of its checks, so a
 * grade-1 component DOWN makes the kind DOWN and a lower-grade one only DEGRADED; no checks means
 * UP.
 */
public interface Health {

  /**
   * Registers a check with the default timeout.
   *
   * @throws ConfigurationException if the name is malformed, reserved ({@code all}) or taken
   */
  void register(HealthCheck check);

  /**
   * Registers a check with its own timeout.
   *
   * @throws ConfigurationException if the name is malformed, reserved or taken, or the timeout is
   *     not 1 ms..60 s
   */
  void register(HealthCheck check, Duration timeout);

  /** How long a check's answer is reused before {@link #check} or {@link #report} runs it again. */
  Duration cacheFor();

  /** Every registered check's last answer, without running anything. */
  List<CheckResult> lastResults();

  /**
   * Runs the named check unless its cached answer is still fresh, and returns the answer.
   *
   * @throws IllegalArgumentException naming the unknown check and the known ones
   */
  CheckResult check(String name);

  /**
   * Runs every check of {@code kind} whose cached answer is stale (in parallel, each bounded by its
   * timeout) and returns the aggregate.
   */
  HealthReport report(HealthKind kind);

  /**
   * The pre-open run (R7): runs every readiness and trading-readiness check afresh, ignoring the
   * cache, and returns the report; passes only if every check is UP. Publishes {@code
   * TRADING_READINESS_PASSED} or {@code TRADING_READINESS_FAILED}.
   */
  HealthReport tradingReadiness();
}
