package dev.stability.aeron;

import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.Journal;
import dev.stability.core.standby.Follower;
import dev.stability.core.switchover.SwitchParticipants;

/**
 * What a standby's switch controller is given when its primary runs in another process and
 * replicates to it through an {@link AeronJournalSource}: its replica journal, its follower, the
 * source (closed to stop listening to the primary; its last sequence is the primary's), the
 * standby's book and a healthy standby. The test adds the remote primary for a handover, the
 * promotion and the registry. Shared through the test-jar.
 */
public final class RemotePrimaryParticipants {

  private RemotePrimaryParticipants() {}

  /** The participants every such test gives. */
  public static SwitchParticipants.Builder of(
      Journal journal, Follower follower, AeronJournalSource source, DigestBook book) {
    return SwitchParticipants.builder()
        .journal(journal)
        .standby(follower)
        .stopPrimary(source::close)
        .standbyDigest(() -> book.digest().value())
        .standbyHealth(() -> HealthStatus.UP)
        .primaryLastSequence(source::lastSequence);
  }
}
