package dev.stability.core.switchover;

import java.time.Duration;

/**
 * What a switchover or failover did (R18): the evidence a drill keeps.
 *
 * @param kind {@code planned} or {@code failover}
 * @param switchSequence the last sequence the old primary wrote that the new one took over from
 * @param epoch the new epoch
 * @param takeover from the command to the new primary accepting input (RTO)
 * @param digestsEqual whether both sides' digests were equal at the switch sequence
 * @param lostFrom the first sequence that may be lost (failover only; 0 when nothing may be)
 * @param lostTo the last sequence that may be lost (0 when nothing may be)
 */
public record SwitchReport(
    String kind,
    long switchSequence,
    long epoch,
    Duration takeover,
    boolean digestsEqual,
    long lostFrom,
    long lostTo) {

  /** Records that may have been lost: 0 for a planned switchover. */
  public long possiblyLost() {
    return lostTo == 0 ? 0 : lostTo - lostFrom + 1;
  }
}
