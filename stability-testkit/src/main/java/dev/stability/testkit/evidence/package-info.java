/**
 * The evidence report: pressure tests, drills, discovery campaigns and readiness runs, by
 * requirement R1 to R18.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.evidence;

import org.jspecify.annotations.NullMarked;
