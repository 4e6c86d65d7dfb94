package dev.stability.aeron;

import dev.stability.api.consistency.DigestValue;

/**
 * What the primary's application does when a standby's switch controller asks it to hand over (a
 * planned switchover across processes), given to {@link JournalPublisher#acceptHandover}.
 *
 * <p>The publisher calls it on a thread of its own; when it returns, the publisher fences the
 * journal at the next epoch (any later append of the old epoch is refused), sends every record to
 * the standby and answers with the last sequence, the epoch and the digest returned here. Given the
 * primary's role lease ({@link JournalPublisher#acceptHandover(HandoverHandler,
 * dev.stability.api.switchover.RoleLease)}), it also releases the lease after the fence, so the
 * handler need not.
 */
@FunctionalInterface
public interface HandoverHandler {

  /**
   * Stops taking input, waits until the state has applied everything appended to the journal, and
   * returns the state's digest.
   *
   * @throws Exception to refuse the handover: nothing is fenced, the primary goes on (the
   *     application resumes its input if it had stopped it), the standby is told why
   */
  DigestValue stopInput() throws Exception;
}
