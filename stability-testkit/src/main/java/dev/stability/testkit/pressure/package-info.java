/**
 * Pressure tests: open-loop constant-rate load, latency percentiles, CPU and heap, stepping until a
 * rate is not sustained (R1, R2).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.pressure;

import org.jspecify.annotations.NullMarked;
