package dev.stability.core.switchover;

import dev.stability.api.consistency.DigestValue;
import java.time.Duration;

/**
 * A primary in another process, as the standby's switch controller reaches it for a planned
 * switchover: asked to hand over, it stops taking input, fences its journal, sends every record it
 * has and says where it stopped. The replication module provides one ({@code
 * AeronJournalSource.remotePrimary()}).
 */
public interface RemotePrimary {

  /**
   * Asks the primary to hand over and waits for its answer.
   *
   * @return where the primary stopped: its last sequence, the epoch its journal is fenced at, and
   *     its state's digest at that sequence
   * @throws SwitchRefusedException if the primary refused (nothing was stopped) or did not answer
   *     within {@code timeout} (it may have stopped: check it, or fail over)
   * @throws InterruptedException if interrupted while waiting
   */
  Handover handover(Duration timeout) throws InterruptedException;

  /**
   * Where a primary stopped when it handed over.
   *
   * @param lastSequence its journal's last sequence: the switch sequence
   * @param epoch the epoch its journal is fenced at (it refuses appends of older epochs)
   * @param digest its state's digest after applying {@code lastSequence}
   */
  record Handover(long lastSequence, long epoch, DigestValue digest) {}
}
