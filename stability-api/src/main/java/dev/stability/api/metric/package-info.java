/**
 * The metric catalog: every meter the SDK registers, with its name, type, unit and tags ({@link
 * dev.stability.api.metric.StabilityMetric}). The machine-readable catalog is a resource of this
 * package, open to every module.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.metric;

import org.jspecify.annotations.NullMarked;
