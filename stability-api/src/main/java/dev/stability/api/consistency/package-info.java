/**
 * The state digest contract: a digest over the records of a state, the canonical form records are
 * written in ({@link dev.stability.api.consistency.RecordEncoder}, {@link
 * dev.stability.api.consistency.CanonicalWriter}) and the checkpoints primary and standby compare
 * (R10).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.consistency;

import org.jspecify.annotations.NullMarked;
