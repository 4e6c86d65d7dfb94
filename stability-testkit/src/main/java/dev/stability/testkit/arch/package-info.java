/**
 * ArchUnit rules ({@link dev.stability.testkit.arch.StabilityRules}) that keep critical paths
 * guarded, non-blocking, observable and replay-deterministic (R14).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.arch;

import org.jspecify.annotations.NullMarked;
