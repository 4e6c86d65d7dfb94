package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.ServiceIdentity;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.testkit.RecordingEventSink;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.drill.SwitchDrill;
import dev.stability.testkit.junit.EvidenceCollector;
import dev.stability.testkit.junit.StabilityEvidence;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switch drills (R8, R18) on the example's two trading cores: the hash-map core as primary and the
 * heterogeneous array core as standby, fed from the seeded order flow through a file journal.
 */
@StabilityEvidence
class SwitchDrillExampleTest {

  private static final Market MARKET = Market.demo(1_000);

  @TempDir Path dir;

  private static StabilityRuntime runtime(RecordingEventSink sink) {
    // No trading calendar: the drill runtime has no change window, so it runs at any hour.
    return TestRuntimes.quiet(
            ServiceIdentity.builder()
                .systemCode("FUT")
                .subsystem("core")
                .instanceId("drill")
                .build())
        .eventSink(sink)
        .build();
  }

  @Test
  void aPlannedSwitchoverFromTheMapCoreToTheArrayCoreLosesNothingAndBringsEveryClientBack(
      EvidenceCollector evidence) throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    MapTradingCore primary = new MapTradingCore(MARKET);
    ArrayTradingCore standby = new ArrayTradingCore(MARKET);
    OrderFlow flow = new OrderFlow(MARKET, 20261130L);
    try (StabilityRuntime runtime = runtime(sink)) {
      DrillReport report =
          SwitchDrill.builder(runtime)
              .primary(primary)
              .standby(standby)
              .inputs(flow::nextPayload)
              .directory(dir)
              .clients(8)
              .rate(4_000)
              .loadFor(Duration.ofMillis(400))
              .build()
              .run();

      evidence.drill(report); // into the pack, passed or not
      report.assertPassed();
      assertThat(report.kind()).isEqualTo("planned");
      assertThat(report.acknowledged())
          .as("orders were acknowledged before the switch")
          .isPositive();
      assertThat(report.lostAcknowledged()).isZero();
      assertThat(report.digestsEqual()).isTrue();
      assertThat(report.clientsReconnected()).isEqualTo(8);
      assertThat(report.unacknowledgedFrom()).isZero();
      assertThat(report.unacknowledgedTo()).isZero();
      // Both implementations really hold the same book at the switch sequence.
      assertThat(standby.lastApplied()).isEqualTo(report.switchSequence());
      assertThat(primary.lastApplied()).isEqualTo(report.switchSequence());
      assertThat(standby.image()).isEqualTo(primary.image());
      assertThat(standby.openOrders()).isPositive();
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.records()).anyMatch(r -> r.code().equals("CLIENTS_ALL_RECONNECTED"));
    }
  }

  /** A failover drill of the two cores, from a seeded flow, with the given flush policy. */
  private DrillReport failover(long seed, FlushPolicy flush, ArrayTradingCore standby)
      throws Exception {
    try (StabilityRuntime runtime = runtime(new RecordingEventSink())) {
      return SwitchDrill.builder(runtime)
          .kind(SwitchDrill.Kind.FAILOVER)
          .primary(new MapTradingCore(MARKET))
          .standby(standby)
          .inputs(new OrderFlow(MARKET, seed)::nextPayload)
          .directory(dir)
          .clients(3)
          .rate(4_000)
          .loadFor(Duration.ofMillis(400))
          .flush(flush)
          .build()
          .run();
    }
  }

  @Test
  void aFailoverReportsExactlyTheRecordsThatWereNeverDurable(EvidenceCollector evidence)
      throws Exception {
    ArrayTradingCore standby = new ArrayTradingCore(MARKET);
    // The journal never flushes during the drill: nothing is durable, nothing acked.
    DrillReport report =
        failover(7L, FlushPolicy.batch(1_000_000, Duration.ofSeconds(60)), standby);

    evidence.drill(report);
    report.assertPassed();
    assertThat(report.kind()).isEqualTo("failover");
    assertThat(report.switchSequence()).as("records were in flight").isGreaterThan(100);
    assertThat(report.acknowledged()).isZero();
    assertThat(report.lostAcknowledged()).isZero();
    assertThat(report.unacknowledgedFrom()).isEqualTo(1);
    assertThat(report.unacknowledgedTo()).isEqualTo(report.switchSequence());
    assertThat(standby.lastApplied()).isEqualTo(report.switchSequence());
    assertThat(report.digestsEqual()).isTrue();
  }

  @Test
  void aFailoverWithAFlushingJournalReportsANeverDurableRangeAfterEverythingAcknowledged()
      throws Exception {
    DrillReport report =
        failover(11L, FlushPolicy.batch(64, Duration.ofMillis(2)), new ArrayTradingCore(MARKET));

    report.assertPassed();
    assertThat(report.acknowledged()).isPositive();
    assertThat(report.lostAcknowledged()).isZero();
    if (report.unacknowledgedTo() == 0) {
      // Everything written was durable when the primary died.
      assertThat(report.unacknowledgedFrom()).isZero();
    } else {
      // Only a tail after the last acknowledged record may be missing, up to the switch point.
      assertThat(report.unacknowledgedFrom())
          .isGreaterThan(report.acknowledged())
          .isLessThanOrEqualTo(report.unacknowledgedTo());
      assertThat(report.unacknowledgedTo()).isEqualTo(report.switchSequence());
    }
    assertThat(report.acknowledged()).isLessThanOrEqualTo(report.switchSequence());
  }
}
