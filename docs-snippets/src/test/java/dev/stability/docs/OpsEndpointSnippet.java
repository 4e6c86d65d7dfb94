package dev.stability.docs;

// tag::ops-endpoint[]
import dev.stability.core.operations.Risk;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;

// end::ops-endpoint[]

class OpsEndpointSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      dev.stability.core.switchover.SwitchController controller,
      dev.stability.api.journal.Journal journal,
      Domain.DataCentres gateway)
      throws Exception {
    // tag::ops-endpoint[]
    try (OpsEndpoint ops =
        OpsEndpoint.start(
            runtime,
            OpsEndpointSettings.builder()
                .port(9400) // loopback unless told otherwise
                .token("zhang.san", System.getenv("OPS_TOKEN_ZHANG")) // >= 32 characters
                .token("li.si", System.getenv("OPS_TOKEN_LI"))
                .switchController(controller) // switchover/failover + gates
                .epoch(journal::epoch)
                .action("drain", Risk.RISKY, params -> gateway.moveTo(params.get("target")))
                .build())) {
      gateway.awaitShutdown(); // serves until closed
    }
    // end::ops-endpoint[]
  }
}
