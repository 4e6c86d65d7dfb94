/**
 * Simulated members (clients) that reconnect through the failover endpoints during drills (R11).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.members;

import org.jspecify.annotations.NullMarked;
