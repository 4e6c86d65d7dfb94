/**
 * Discovery-rate campaigns: inject faults and measure whether, and how fast, the application's own
 * monitoring noticed them (R13).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.discovery;

import org.jspecify.annotations.NullMarked;
