package dev.stability.docs;

// tag::journal[]
import dev.stability.api.journal.Journal;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.nio.file.Path;
import java.time.Duration;

// end::journal[]

class JournalSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      long epoch,
      byte[] order,
      Domain.Book heterogeneousBook,
      Domain.Book primaryBook,
      Domain.Gateway primary,
      Domain.Gateway newPrimary,
      java.util.function.Supplier<dev.stability.api.health.HealthStatus> standbyHealth,
      dev.stability.api.switchover.EndpointRegistry registry,
      Runnable openWithCallAuction,
      dev.stability.core.operations.Approval approval)
      throws Exception {
    // tag::journal[]
    Journal journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", Path.of("/data/journal"))
                    .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
                    .build());
    long seq = journal.append(epoch, order); // then ack once journal.durableSequence() >= seq

    Follower standby =
        runtime
            .standby()
            .follow( // in the standby (here: same process)
                FollowerSettings.builder("match-b1", Path.of("/data/standby"))
                    .checkpointEvery(10_000)
                    .build(),
                JournalSource.of(journal), // or JournalSource.files(dir): another process
                heterogeneousBook); // your StateMachine

    SwitchController switches =
        runtime
            .switchover()
            .controller(
                SwitchSettings.of("matching", "10.0.0.2:9001"),
                SwitchParticipants.builder()
                    .journal(journal)
                    .standby(standby)
                    .stopPrimary(primary::stopAccepting)
                    .primaryDigest(primaryBook::digestValue)
                    .standbyDigest(heterogeneousBook::digestValue)
                    .standbyHealth(standbyHealth)
                    .promote(newPrimary::start)
                    .registry(registry)
                    .afterSwitch(openWithCallAuction) // R11
                    .build());
    System.out.println(switches.readiness(approval).toText());
    SwitchReport report =
        switches.switchover(approval); // approval: request + approve by two people
    // end::journal[]
  }
}
