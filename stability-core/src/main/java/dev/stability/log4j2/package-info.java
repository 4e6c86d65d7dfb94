/**
 * The Log4j2 event template of the SDK ({@code StabilityJsonLayout.json}, a resource of this
 * package, open to every module) and its URI. The template's {@code contextLong} resolver is in
 * {@code dev.stability.core.event.log4j2}.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.log4j2;

import org.jspecify.annotations.NullMarked;
