/**
 * The switchover SPIs: the role lease that keeps one primary at a time, the endpoint registry
 * clients reconnect through, and the refusal when the role is not held (R9, R11).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.switchover;

import org.jspecify.annotations.NullMarked;
