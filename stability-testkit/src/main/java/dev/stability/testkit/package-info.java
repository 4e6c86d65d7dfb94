/**
 * The testkit's shared pieces, such as the {@link dev.stability.testkit.RecordingEventSink} that
 * keeps the records a runtime published for assertions.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit;

import org.jspecify.annotations.NullMarked;
