package dev.stability.core.health.internal;

import dev.stability.api.health.HealthStatus;

/**
 * One check's last answer, as a warm standby receives it from the primary. Internal.
 *
 * @param name the check's name
 * @param status what it found
 * @param reason why, in one line
 * @param checkedAt when (ISO instant, the primary's clock)
 */
public record HealthState(String name, HealthStatus status, String reason, String checkedAt) {}
