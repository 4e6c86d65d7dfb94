/**
 * The state machine contract a standby applies journal records to, deterministically (R9, R10).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.standby;

import org.jspecify.annotations.NullMarked;
