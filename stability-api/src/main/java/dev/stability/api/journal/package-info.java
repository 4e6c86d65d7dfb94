/**
 * The journal contract: an ordered, epoch-fenced log of input records that a standby follows and
 * replays (R9).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.journal;

import org.jspecify.annotations.NullMarked;
