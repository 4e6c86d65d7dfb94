/**
 * The health check SPI: checks of liveness, readiness and trading readiness with a protection
 * grade, and their results (R3, R7).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.health;

import org.jspecify.annotations.NullMarked;
