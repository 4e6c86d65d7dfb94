/**
 * Switchover and failover: readiness gates, the switch controller, endpoint registries, clients
 * that follow the primary, and failover policies on a role lease (R9, R11, R18).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.switchover;

import org.jspecify.annotations.NullMarked;
