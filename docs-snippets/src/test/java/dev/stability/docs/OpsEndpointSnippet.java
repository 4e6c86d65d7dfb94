package dev.stability.docs;

// tag::ops-endpoint[]
import dev.stability.core.endpoint.OpsEndpoint;
import dev.stability.core.endpoint.OpsEndpointSettings;
import dev.stability.core.operations.Risk;

// end::ops-endpoint[]

class OpsEndpointSnippet {
  void snippet(dev.stability.core.StabilityRuntime runtime, Domain.DataCentres dataCentres)
      throws Exception {
    // tag::ops-endpoint[]
    try (OpsEndpoint ops =
        OpsEndpoint.start(
            runtime,
            OpsEndpointSettings.builder()
                .port(9400) // loopback unless told otherwise
                .token("zhang.san", System.getenv("OPS_TOKEN_ZHANG")) // >= 32 characters
                .token("li.si", System.getenv("OPS_TOKEN_LI"))
                .action("switchover", Risk.HIGH, params -> dataCentres.moveTo(params.get("target")))
                .build())) {
      dataCentres.awaitShutdown(); // serves until closed
    }
    // end::ops-endpoint[]
  }
}
