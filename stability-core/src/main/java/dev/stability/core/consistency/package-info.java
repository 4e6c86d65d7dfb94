/**
 * Consistency between primary and standby: bucketed state digests, the checkpoint auditor, the
 * record-level diff, shadow comparison and replay (R10).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.consistency;

import org.jspecify.annotations.NullMarked;
