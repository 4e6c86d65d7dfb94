/**
 * Capacity headroom: indicators counted on the hot path, per-second rates, today's and the
 * historical peak per trading day, the tested or provisioned capacity, and the required multiple
 * (R1).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.capacity;

import org.jspecify.annotations.NullMarked;
