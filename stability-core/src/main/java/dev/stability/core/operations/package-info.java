/**
 * Operations under control: the trading calendar and change windows, dual control of risky
 * operations, and the hash-chained operation log (R4, R5, R6).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.operations;

import org.jspecify.annotations.NullMarked;
