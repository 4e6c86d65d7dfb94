/**
 * Fault injection into guards or any call: latency, timeouts, exceptions, error rates and hangs,
 * seeded and on a manual clock when asked.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.fault;

import org.jspecify.annotations.NullMarked;
