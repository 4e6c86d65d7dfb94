/**
 * The journals: a memory-mapped segmented file journal with CRC32C per record and recovery of torn
 * tails, an in-memory journal, a leased journal, and the frames replication copies (R9).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.journal;

import org.jspecify.annotations.NullMarked;
