/**
 * Health and trading readiness: the registry that runs checks with timeouts and caching, the
 * built-in checks, and the reports (R3, R7).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.health;

import org.jspecify.annotations.NullMarked;
