package dev.stability.examples.replication;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogField;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.examples.trading.ArrayTradingCore;
import dev.stability.examples.trading.Market;
import dev.stability.testkit.members.MemberGateway;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The heterogeneous standby (the array-book core) in a JVM of its own, replicated over Aeron: what
 * the demo starts for its "standby on another host" step. It journals what it receives, applies it
 * to its core, reports its applied sequence and checkpoints to the primary, and prints {@code
 * status <received> <applied> <replayed>} every 100 ms. On the line {@code switchover <operator>
 * <reviewer>} from its standard input it runs a planned switchover through its own runtime's dual
 * control (the primary hands over), opens its member gateway, publishes itself in the endpoint
 * registry and prints {@code switched <takeover ms> <sequence> <epoch> <equal|DIFFERENT>} or {@code
 * refused <reason>}, then {@code warm <clearing-link state> <records> <intact|BROKEN> <first
 * instance>}: what it took over from the primary's warm state (an {@link AeronWarmLink}). The end
 * of its input (the demo gone) ends it.
 *
 * <p>Arguments: {@code <dir> <standby host:port> <primary host:port> <gateway port> <registry
 * file>}.
 */
public final class RemoteStandby {

  private RemoteStandby() {}

  /** How often the primary's warm state is carried to the standby. */
  static final Duration WARM_INTERVAL = Duration.ofMillis(100);

  /** The clearing link's guard, on both sides: its breaker state is taken over at a switch. */
  static GuardSettings clearingLink() {
    return GuardSettings.builder("clearing-link")
        .circuitBreaker(
            CircuitBreakerSettings.builder()
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofMinutes(2))
                .build())
        .build();
  }

  /**
   * {@code warm <clearing-link state> <records verified> <intact|BROKEN> <instance of the first
   * record>}: what the new primary took over.
   */
  private static String warmLine(StabilityRuntime runtime) {
    OperationLog.Verification verification = runtime.operations().log().verify();
    String first =
        runtime.operations().log().tail(Integer.MAX_VALUE).stream()
            .findFirst()
            .map(r -> r.text(LogField.INSTANCE))
            .orElse("none");
    return "warm "
        + runtime.guards().guard("clearing-link").circuitState()
        + " "
        + verification.records()
        + " "
        + (verification.intact() ? "intact" : "BROKEN")
        + " "
        + first;
  }

  /** Entry point of the standby's JVM. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ReplicationSettings settings =
        ReplicationSettings.builder("futures")
            .udp(args[1], args[2])
            .heartbeat(Duration.ofMillis(20))
            .build();
    int gatewayPort = Integer.parseInt(args[3]);
    Path registryFile = Path.of(args[4]);
    PrintStream out = System.out;
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("FUT")
            .subsystem("core")
            .instanceId("fut-b2")
            .role(Role.STANDBY)
            .build();
    try (StabilityRuntime runtime =
            StabilityRuntime.builder(identity)
                .slf4jOutput(false)
                .guard(clearingLink())
                .operations(
                    OperationSettings.builder()
                        .logFile(dir.resolve("operations-b2").resolve("ops.jsonl"))
                        .build())
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu().directory(dir.resolve("aeron-b2")).build());
        ReplicaJournal journal =
            runtime
                .journals()
                .openReplica(
                    JournalSettings.builder("futures", dir.resolve("journal-b2"))
                        .flush(FlushPolicy.os())
                        .build())) {
      AeronJournalSource source = AeronJournalSource.start(runtime, journal, media, settings);
      ArrayTradingCore core = new ArrayTradingCore(Market.demo(1_000));
      Follower follower =
          runtime
              .standby()
              .follow(
                  FollowerSettings.builder("fut-b2", dir.resolve("follower-b2")).build(),
                  source,
                  core);
      source.reportFrom(follower);
      AeronWarmLink warm = AeronWarmLink.standby(runtime, media, settings, WARM_INTERVAL);
      MemberGateway[] gateway = {null};
      SwitchController controller =
          runtime
              .switchover()
              .controller(
                  SwitchSettings.of("futures", "127.0.0.1:" + gatewayPort),
                  SwitchParticipants.builder()
                      .journal(journal)
                      .standby(follower)
                      .remotePrimary(source.remotePrimary())
                      .stopPrimary(source::close)
                      .primaryLastSequence(source::lastSequence)
                      .standbyDigest(() -> core.digest().value())
                      .standbyHealth(
                          () ->
                              follower.failure().isPresent() ? HealthStatus.DOWN : HealthStatus.UP)
                      .promote(epoch -> gateway[0] = MemberGateway.open(gatewayPort))
                      .registry(EndpointRegistries.file(registryFile))
                      .build());
      Thread status =
          new Thread(
              () -> {
                while (true) {
                  synchronized (out) {
                    out.println(
                        "status "
                            + source.receivedSequence()
                            + " "
                            + follower.appliedSequence()
                            + " "
                            + source.replayedRecords());
                    out.flush();
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "status");
      status.setDaemon(true);
      status.start();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] command = line.trim().split("\\s+");
        if (command.length == 3 && command[0].equals("switchover")) {
          String result;
          try {
            OperationRequest request =
                runtime
                    .operations()
                    .request(
                        Operation.builder("switchover", Risk.HIGH)
                            .target("futures")
                            .operator(command[1])
                            .reason("drill: switch to the standby on another host")
                            .build());
            Approval approval = runtime.operations().approve(request.id(), command[2]);
            SwitchReport report = controller.switchover(approval);
            result =
                String.format(
                    Locale.ROOT,
                    "switched %.1f %d %d %s",
                    report.takeover().toNanos() / 1e6,
                    report.switchSequence(),
                    report.epoch(),
                    report.digestsEqual() ? "equal" : "DIFFERENT");
          } catch (Exception e) {
            result = "refused " + e.getMessage();
          }
          synchronized (out) {
            out.println(result);
            out.println(warmLine(runtime));
            out.flush();
          }
        }
      }
      if (gateway[0] != null) {
        gateway[0].close();
      }
      warm.close();
    }
    Runtime.getRuntime().halt(0); // the demo is gone
  }
}
