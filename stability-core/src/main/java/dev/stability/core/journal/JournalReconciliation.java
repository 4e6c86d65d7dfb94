package dev.stability.core.journal;

import java.util.Optional;

/**
 * What a former primary's journal holds that the new primary's does not: the exact records an
 * {@code ASYNC} failover lost, found once the former primary's files can be read again (its process
 * was killed, or its host came back). Made by {@link Journals#reconcile}.
 *
 * <p>The two journals are read side by side from the first sequence both hold. Records equal in
 * both (sequence, epoch, timestamp and payload) are the common history; the first sequence where
 * the new primary holds a record of a newer epoch is where the takeover began, and every record the
 * former primary holds from there on is lost: it was durable on the former primary (and, under
 * {@code ASYNC}, may have been acknowledged to its clients) but never reached the standby. Read
 * them with {@code runtime.journals().reader(formerDirectory, lostFrom())} to tell the members
 * concerned.
 *
 * @param commonThrough the last sequence both journals hold with equal records (0 when none)
 * @param formerLast the last sequence readable in the former primary's journal
 * @param promotedLast the last sequence in the new primary's journal
 * @param lostFrom the first sequence only the former primary holds (0 when nothing was lost)
 * @param lostTo the last such sequence (0 when nothing was lost)
 * @param problem what does not fit a failover, if anything: the two differ within one epoch (the
 *     fencing failed or a file was altered), the "former" journal is the newer one (arguments
 *     swapped), or the former's tail cannot be read past a damaged record; the lost range is then
 *     what could be read
 */
public record JournalReconciliation(
    long commonThrough,
    long formerLast,
    long promotedLast,
    long lostFrom,
    long lostTo,
    Optional<String> problem) {

  /** How many records only the former primary holds. */
  public long lost() {
    return lostTo == 0 ? 0 : lostTo - lostFrom + 1;
  }

  /** Whether the two journals are a clean failover: a common history and nothing else wrong. */
  public boolean consistent() {
    return problem.isEmpty();
  }
}
