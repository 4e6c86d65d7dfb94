/**
 * The event and log schema: event codes ({@link dev.stability.api.event.StabilityEventCode} and the
 * application's own), the log record v1 ({@link dev.stability.api.event.LogRecord}, {@link
 * dev.stability.api.event.LogField}) and the sink records go to. The JSON Schema and the code
 * catalog are resources of this package, open to every module.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api.event;

import org.jspecify.annotations.NullMarked;
