package dev.stability.ops.console;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.standby.NetBook;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small system shaped like the example trading system, for the console tests: a primary and a
 * heterogeneous standby sharing a file journal under paced load with checkpoints audited, a
 * clearing-link guard, capacity indicators, health checks, the operation log, a switch controller,
 * and the ops endpoint with two operators.
 */
final class ConsoleSystem implements AutoCloseable {

  final StabilityRuntime runtime;
  final Journal journal;
  final Follower follower;
  final OpsEndpoint endpoint;
  private final NetBook primary = new NetBook();
  private final NetBook standby = new NetBook();
  private final EndpointRegistry registry = EndpointRegistries.inMemory();
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final Thread load;

  ConsoleSystem(Path dir) {
    runtime =
        TestRuntimes.quiet(
                ServiceIdentity.builder()
                    .systemCode("FUT")
                    .subsystem("futures-core")
                    .instanceId("core-a1")
                    .role(Role.PRIMARY)
                    .build())
            .guard(
                GuardSettings.builder("clearing-link")
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .slidingWindowSize(10)
                            .minimumNumberOfCalls(5)
                            .build())
                    .latencyPercentiles(true)
                    .build())
            .capacity(CapacitySettings.builder().indicators("orders").build())
            .healthCheck(
                HealthCheck.of("standby", HealthKind.READINESS, 2, () -> HealthResult.up()))
            .healthCheck(
                HealthCheck.of(
                    "settlement-prices", HealthKind.TRADING_READINESS, 1, () -> HealthResult.up()))
            .operations(
                OperationSettings.builder().logFile(dir.resolve("ops/operations.jsonl")).build())
            .build();
    runtime.capacity().indicator("orders").recordTested(9_000, "pressure test");
    runtime.capacity().indicator("orders").raiseHistoricalPeak(2_000);
    journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("journal"))
                    .segmentSize(4 << 20)
                    .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
                    .build());
    follower =
        runtime
            .standby()
            .follow(
                FollowerSettings.builder("core-b1", dir.resolve("standby"))
                    .checkpointEvery(500)
                    .build(),
                JournalSource.of(journal),
                standby);
    registry.publish("futures-core", "127.0.0.1:9001", 0);
    SwitchController controller =
        runtime
            .switchover()
            .controller(
                new SwitchSettings(
                    "futures-core", "127.0.0.1:9002", 100_000, Duration.ofSeconds(10)),
                SwitchParticipants.builder()
                    .journal(journal)
                    .standby(follower)
                    .stopPrimary(() -> accepting.set(false))
                    .primaryDigest(primary::digestValue)
                    .standbyDigest(standby::digestValue)
                    .standbyHealth(() -> dev.stability.api.health.HealthStatus.UP)
                    .promote(epoch -> {})
                    .registry(registry)
                    .build());
    load = new Thread(this::orders, "console-test-orders");
    load.setDaemon(true);
    load.start();
    endpoint =
        OpsEndpoint.start(
            runtime,
            OpsEndpointSettings.builder()
                .token("zhang.san", ConsoleScenario.ZHANG_TOKEN)
                .token("li.si", ConsoleScenario.LI_TOKEN)
                .switchController(controller)
                .epoch(journal::epoch)
                .build());
  }

  /** About 2,000 orders a second, a checkpoint every 500, until the switch stops the primary. */
  private void orders() {
    SplittableRandom random = new SplittableRandom(7);
    CapacityIndicator orders = runtime.capacity().indicator("orders");
    while (accepting.get()) {
      for (int i = 0; i < 20 && accepting.get(); i++) {
        byte[] order = NetBook.order(random);
        long seq;
        try {
          seq = journal.append(0, order);
        } catch (EpochFencedException fenced) {
          return;
        }
        primary.apply(seq, 0, ByteBuffer.wrap(order));
        orders.record();
        if (seq % 500 == 0) {
          runtime
              .consistency()
              .auditor()
              .primary(Checkpoint.of("core-a1", seq, 0, primary.digest()));
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** What the console scenario needs to know about this system. */
  ConsoleScenario.Target target() {
    return new ConsoleScenario.Target(
        endpoint.uri(),
        runtime,
        journal,
        () -> runtime.consistency().auditor().lastMatchedSequence().isPresent(),
        "FUT / futures-core / core-a1",
        "standby",
        "settlement-prices",
        "orders",
        "clearing-link",
        "core-b1");
  }

  @Override
  public void close() throws Exception {
    accepting.set(false);
    load.interrupt();
    load.join(5_000);
    endpoint.close();
    runtime.close();
  }
}
