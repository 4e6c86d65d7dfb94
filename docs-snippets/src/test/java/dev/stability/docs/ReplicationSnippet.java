package dev.stability.docs;

// tag::replication[]
import dev.stability.aeron.AckPolicy;
import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.ConfirmTimeoutAction;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.journal.Journal;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.standby.Follower;
import java.time.Duration;

// end::replication[]

class ReplicationSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      java.nio.file.Path dir,
      dev.stability.core.standby.FollowerSettings followerSettings,
      Domain.Book heterogeneousBook)
      throws Exception {
    // tag::replication[]
    // both hosts: the media driver, embedded (nothing to install) or external
    AeronMedia media = AeronMedia.start(AeronMediaSettings.lowCpu().build()); // or lowLatency()
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(
                "standby-host:20121",
                "primary-host:20122") // records to the standby, confirmations back
            .ack(AckPolicy.SEMI_SYNC)
            .confirmTimeout(Duration.ofMillis(100))
            .onConfirmTimeout(ConfirmTimeoutAction.DEGRADE) // or REFUSE
            .build();

    // primary host
    Journal local = runtime.journals().open(JournalSettings.builder("orders", dir).build());
    JournalPublisher publisher = JournalPublisher.start(runtime, local, media, settings);
    Journal journal =
        publisher.journal(); // append here; acknowledge up to journal.durableSequence()

    // standby host
    ReplicaJournal own =
        runtime.journals().openReplica(JournalSettings.builder("orders", dir).build());
    AeronJournalSource source = AeronJournalSource.start(runtime, own, media, settings);
    Follower follower = runtime.standby().follow(followerSettings, source, heterogeneousBook);
    source.reportFrom(follower); // applied position and checkpoints back to the primary
    // end::replication[]
  }
}
