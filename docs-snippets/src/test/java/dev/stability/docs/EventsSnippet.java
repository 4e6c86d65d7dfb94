package dev.stability.docs;

// tag::events[]
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.Site;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;

// end::events[]

class EventsSnippet {
  void snippet(io.micrometer.core.instrument.MeterRegistry prometheusRegistry) throws Exception {
    // tag::events[]
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("OMS")
            .subsystem("order-entry")
            .instanceId("oms-a1")
            .site(Site.PRIMARY_DC)
            .role(Role.PRIMARY)
            .grade(1)
            .build();

    try (StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .meterRegistry(prometheusRegistry) // optional; default is a private SimpleMeterRegistry
            .eventCodes(MyCodes.class) // your enum implementing EventCode (below)
            .build()) {
      runtime
          .events()
          .publish(
              LogRecord.builder(MyCodes.ORDER_REJECTED)
                  .order("O-1")
                  .account("6222021234567890")
                  .message("price outside limit"));
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL) // R17
                  .seq("S-1")
                  .interfaceId("risk.check")
                  .peer("RISK")
                  .durationMicros(87)
                  .outcome(Outcome.SUCCESS));
    }
    // end::events[]
  }
}
