/**
 * The one door in: {@link dev.stability.core.StabilityRuntime} holds a service's identity, clock,
 * meters and event output, and reaches every subsystem ({@code runtime.guards()}, {@code
 * runtime.health()}, ...). Two runtimes in one JVM do not see each other.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core;

import org.jspecify.annotations.NullMarked;
