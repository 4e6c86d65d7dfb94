package dev.stability.docs;

// tag::operations[]
import dev.stability.core.StabilityRuntime;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.Risk;
import dev.stability.core.operations.TradingCalendar;
import java.nio.file.Path;
import java.time.Duration;

// end::operations[]

class OperationsSnippet {
  void snippet(dev.stability.api.ServiceIdentity identity, Domain.DataCentres dataCentres)
      throws Exception {
    // tag::operations[]
    TradingCalendar calendar =
        TradingCalendar.chinaEquities() // 09:15 call ... 15:00 close
            .holidays(Path.of("/etc/oms/holidays-2026.txt")) // "2026-10-01 National Day"
            .build();
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .operations(
                OperationSettings.builder()
                    .calendar(calendar)
                    .changeWindowMargin(Duration.ofMinutes(15))
                    .logFile(
                        Path.of("/var/log/oms/operations.jsonl")) // retention 366 days by default
                    .build())
            .build();

    Operations ops = runtime.operations();
    OperationRequest request =
        ops.request(
            Operation.builder("switchover", Risk.HIGH)
                .target("oms-b1")
                .operator("zhang.san")
                .reason("planned move to DC2")
                .build());
    Approval approval = ops.approve(request.id(), "li.si"); // zhang.san himself: refused
    ops.perform(approval, () -> dataCentres.moveTo("DC2")); // once, before it expires
    // end::operations[]
  }
}
