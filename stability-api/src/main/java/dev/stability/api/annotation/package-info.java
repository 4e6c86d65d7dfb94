/**
 * Annotations that mark the application's code for the testkit's architecture rules and for
 * readers: {@link dev.stability.api.annotation.CriticalPath}, {@link
 * dev.stability.api.annotation.OutboundClient}, {@link dev.stability.api.annotation.Idempotent},
 * {@link dev.stability.api.annotation.Deterministic} (R14).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.annotation;

import org.jspecify.annotations.NullMarked;
