/**
 * The standby: a follower that applies the journal to the application's state machine, and the warm
 * standby that carries the primary's runtime state (R9).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.standby;

import org.jspecify.annotations.NullMarked;
