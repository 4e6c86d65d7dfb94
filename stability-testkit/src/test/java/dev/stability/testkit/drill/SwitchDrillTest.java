package dev.stability.testkit.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.fixtures.Net;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.testkit.RecordingEventSink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drills on a small in-repo service with two different implementations of the same book. */
class SwitchDrillTest {

  @TempDir Path dir;

  /** Primary: a HashMap of boxed positions. {@code skew} makes it disagree (a broken standby). */
  static class HashBook implements StateMachine {
    final Map<Integer, Long> net = new HashMap<>();
    final StateDigest digest = StateDigests.create(8);
    final long skew;

    HashBook(long skew) {
      this.skew = skew;
    }

    @Override
    public void apply(long sequence, long epoch, ByteBuffer payload) {
      ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int account = p.getInt();
      long delta = p.getLong() + (account == 7 ? skew : 0);
      Long before = net.get(account);
      long after = (before == null ? 0 : before) + delta;
      net.put(account, after);
      if (before == null) {
        digest.add(Net.ENCODER, new Net(account, after));
      } else {
        digest.replace(Net.ENCODER, new Net(account, before), new Net(account, after));
      }
    }

    @Override
    public byte[] snapshot() {
      throw new UnsupportedOperationException("not needed in a drill");
    }

    @Override
    public void restore(byte[] snapshot) {
      throw new UnsupportedOperationException("not needed in a drill");
    }

    @Override
    public StateDigest digest() {
      return digest;
    }
  }

  /** Standby: a sorted map of primitive cells, updated as remove then add. */
  static final class TreeBook extends HashBook {
    final TreeMap<Integer, long[]> cells = new TreeMap<>();

    TreeBook(long skew) {
      super(skew);
    }

    @Override
    public void apply(long sequence, long epoch, ByteBuffer payload) {
      ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int account = p.getInt();
      long delta = p.getLong() + (account == 7 ? skew : 0);
      long[] cell = cells.computeIfAbsent(account, a -> new long[] {Long.MIN_VALUE});
      if (cell[0] != Long.MIN_VALUE) {
        digest.remove(Net.ENCODER, new Net(account, cell[0]));
      } else {
        cell[0] = 0;
      }
      cell[0] += delta;
      digest.add(Net.ENCODER, new Net(account, cell[0]));
    }
  }

  private static java.util.function.Supplier<byte[]> orders(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return () ->
        ByteBuffer.allocate(12)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(random.nextInt(100))
            .putLong(random.nextInt(-50, 51))
            .array();
  }

  private static StabilityRuntime runtime(RecordingEventSink sink) {
    return TestRuntimes.quiet(
            ServiceIdentity.builder()
                .systemCode("MATCH")
                .subsystem("core")
                .instanceId("drill")
                .build())
        .eventSink(sink)
        .build();
  }

  @Test
  void aPlannedSwitchoverDrillPassesWithNoAcknowledgedRecordLostAndEveryClientBack()
      throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    try (StabilityRuntime runtime = runtime(sink)) {
      DrillReport report =
          SwitchDrill.builder(runtime)
              .primary(new HashBook(0))
              .standby(new TreeBook(0))
              .inputs(orders(1))
              .directory(dir)
              .clients(5)
              .build()
              .run()
              .assertPassed();
      assertThat(report.lostAcknowledged()).isZero();
      assertThat(report.acknowledged()).isPositive();
      assertThat(report.digestsEqual()).isTrue();
      assertThat(report.clientsReconnected()).isEqualTo(5);
      assertThat(report.takeover()).isLessThan(Duration.ofSeconds(1));
      assertThat(new ObjectMapper().readTree(report.toJson()).get("passed").asBoolean()).isTrue();
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.records()).anyMatch(r -> r.code().equals("CLIENTS_ALL_RECONNECTED"));
    }
  }

  @Test
  void aFailoverDrillReportsWhatWasNeverDurable() throws Exception {
    try (StabilityRuntime runtime = runtime(new RecordingEventSink())) {
      DrillReport report =
          SwitchDrill.builder(runtime)
              .kind(SwitchDrill.Kind.FAILOVER)
              .primary(new HashBook(0))
              .standby(new TreeBook(0))
              .inputs(orders(2))
              .directory(dir)
              .clients(3)
              .flush(FlushPolicy.batch(1_000_000, Duration.ofSeconds(60)))
              .build()
              .run()
              .assertPassed();
      assertThat(report.kind()).isEqualTo("failover");
      assertThat(report.acknowledged())
          .as("nothing became durable: nothing was acknowledged")
          .isZero();
      assertThat(report.unacknowledgedFrom()).isEqualTo(1);
      assertThat(report.unacknowledgedTo()).isEqualTo(report.switchSequence());
    }
  }

  @Test
  void aDrillWithADivergingStandbyFails() throws Exception {
    try (StabilityRuntime runtime = runtime(new RecordingEventSink())) {
      SwitchDrill drill =
          SwitchDrill.builder(runtime)
              .primary(new HashBook(0))
              .standby(new TreeBook(1)) // the standby adds one lot to account 7 every time
              .inputs(orders(3))
              .directory(dir)
              .clients(2)
              .build();
      DrillReport report = drill.run();
      assertThat(report.passed()).isFalse();
      assertThat(report.problems())
          .anySatisfy(p -> assertThat(p).startsWith("the switch was refused: "));
      assertThatThrownBy(report::assertPassed)
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("planned drill failed: the switch was refused: ")
          .hasMessageContaining("digests-equal");
    }
  }
}
