/**
 * Log4j2 support: the {@code contextLong} resolver of the SDK's {@code JsonTemplateLayout}
 * template. Log4j2 is a {@code provided} dependency: an application that uses it has it.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.event.log4j2;

import org.jspecify.annotations.NullMarked;
