/**
 * Logback support: the encoder that writes SDK records and ordinary statements as log schema v1
 * JSON lines. Logback is a {@code provided} dependency: an application that uses it has it.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.event.logback;

import org.jspecify.annotations.NullMarked;
