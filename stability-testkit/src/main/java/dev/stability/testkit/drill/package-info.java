/**
 * Switch drills: the application's primary and standby in one JVM under paced load, a planned
 * switchover or failover, and what it cost (R8, R18).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.drill;

import org.jspecify.annotations.NullMarked;
