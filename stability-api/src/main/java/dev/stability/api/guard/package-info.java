/**
 * The exceptions a guard answers with when it refuses or cuts off a call, and the circuit states
 * (R14).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.guard;

import org.jspecify.annotations.NullMarked;
