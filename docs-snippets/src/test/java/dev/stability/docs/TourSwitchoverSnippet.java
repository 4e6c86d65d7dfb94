package dev.stability.docs;

// tag::tour-switchover[]
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.time.Duration;

// end::tour-switchover[]

class TourSwitchoverSnippet {
  private static final String STANDBY_ADDRESS = "10.0.2.11:9100";

  private dev.stability.api.health.HealthResult standbyHealth() {
    return dev.stability.api.health.HealthResult.up();
  }

  private void activate(Domain.Core core, long epoch) {}

  private void reconnectMembers() {}

  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      dev.stability.api.journal.Journal journal,
      dev.stability.core.standby.Follower follower,
      Domain.Gateway gateway,
      Domain.Core primary,
      Domain.Core standby,
      dev.stability.api.switchover.EndpointRegistry registry)
      throws Exception {
    // tag::tour-switchover[]
    OperationRequest request =
        runtime
            .operations()
            .request(
                Operation.builder("switchover", Risk.HIGH)
                    .target("futures-core")
                    .operator("zhang.san")
                    .reason("weekend switchover drill")
                    .build());
    Approval approval = runtime.operations().approve(request.id(), "li.si");
    SwitchController controller =
        runtime
            .switchover()
            .controller(
                new SwitchSettings("futures-core", STANDBY_ADDRESS, 10_000, Duration.ofSeconds(10)),
                SwitchParticipants.builder()
                    .journal(journal)
                    .standby(follower)
                    .stopPrimary(gateway::stop)
                    .primaryDigest(() -> primary.digest().value())
                    .standbyDigest(() -> standby.digest().value())
                    .standbyHealth(() -> standbyHealth().status())
                    .promote(epoch -> activate(standby, epoch))
                    .registry(registry)
                    .afterSwitch(this::reconnectMembers)
                    .build());
    System.out.println(controller.readiness(approval).toText());
    SwitchReport report =
        controller.switchover(approval); // takeover ms, sequence, epoch, digests equal
    // end::tour-switchover[]
  }
}
