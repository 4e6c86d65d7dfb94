/**
 * Event output: publishing events in the log schema v1, the canonical JSON line, and the masking
 * policy for client identities and accounts (R4, R16, R17).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.event;

import org.jspecify.annotations.NullMarked;
