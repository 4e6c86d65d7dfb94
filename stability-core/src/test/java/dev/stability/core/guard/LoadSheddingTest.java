package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.guard.LoadShedException;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Real threads, real time: 12 callers hammer a dependency whose latency goes from 1 ms to 10 ms and
 * back. The adaptive limit must fall, excess calls must be shed fast (outcome SHED), and the limit
 * must grow again when latency returns.
 */
class LoadSheddingTest {

  private static final int CALLERS = 12;

  @Test
  void limitFallsWhenLatencyRisesTenfoldShedsFastAndRecovers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CapturingSink sink = new CapturingSink();
    AtomicLong latencyMicros = new AtomicLong(1_000);
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder shed = new LongAdder();
    java.util.Queue<Long> shedNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
    LoadSheddingSettings spec =
        LoadSheddingSettings.defaults().withLimits(12, 1, 64).withWindow(Duration.ofMillis(50));
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .meterRegistry(registry)
            .eventSink(sink)
            .guard(GuardSettings.builder("matching").loadShedding(spec).build())
            .build()) {
      Guard guard = runtime.guards().guard("matching");
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        Thread caller =
            new Thread(
                () -> {
                  while (running.get()) {
                    long started = System.nanoTime();
                    try {
                      guard.call(
                          () -> {
                            TimeUnit.MICROSECONDS.sleep(latencyMicros.get());
                            return null;
                          });
                    } catch (LoadShedException e) {
                      shed.increment();
                      shedNanos.add(System.nanoTime() - started);
                      try {
                        TimeUnit.MICROSECONDS.sleep(200); // a client backs off a little
                      } catch (InterruptedException interrupted) {
                        return;
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                },
                "caller-" + i);
        caller.start();
        callers.add(caller);
      }

      Thread.sleep(1_000);
      int normalLimit = guard.concurrencyLimit();
      long shedBefore = shed.sum();

      latencyMicros.set(10_000); // the dependency slows down tenfold
      int overloadLimit = waitForLimitBelow(guard, normalLimit / 2 + 1, Duration.ofSeconds(5));
      Thread.sleep(500);
      long shedDuringOverload = shed.sum() - shedBefore;

      latencyMicros.set(1_000); // and recovers
      int recoveredLimit = waitForLimitAbove(guard, overloadLimit * 2, Duration.ofSeconds(10));

      running.set(false);
      for (Thread caller : callers) {
        caller.join(5_000);
      }
      runtime.events().awaitDelivery(Duration.ofSeconds(5));

      assertThat(overloadLimit)
          .as("limit under 10x latency vs %s before", normalLimit)
          .isLessThanOrEqualTo(normalLimit / 2 + 1);
      assertThat(shedDuringOverload).as("calls shed while overloaded").isGreaterThan(0);
      // Shed calls return at once instead of waiting for the 10 ms dependency. The median, not
      // the maximum: 12 threads on a small CI machine get descheduled now and then.
      List<Long> sorted = shedNanos.stream().sorted().toList();
      assertThat(sorted.get(sorted.size() / 2))
          .as("median time to shed a call, ns")
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(1));
      assertThat(recoveredLimit).isGreaterThanOrEqualTo(overloadLimit * 2);
      assertThat(
              registry
                  .get("stability.guard.calls")
                  .tag("guard", "matching")
                  .tag("outcome", "SHED")
                  .functionTimer()
                  .count())
          .isEqualTo(shed.sum());
      String seen = sink.records().stream().map(r -> r.code() + r.attrs()).toList().toString();
      assertThat(sink.withCode("GUARD_SHEDDING_STARTED")).as(seen).isNotEmpty();
      assertThat(sink.withCode("GUARD_LIMIT_CHANGED")).as(seen).isNotEmpty();
    }
  }

  private static int waitForLimitBelow(Guard guard, int bound, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (guard.concurrencyLimit() > bound && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return guard.concurrencyLimit();
  }

  private static int waitForLimitAbove(Guard guard, int bound, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (guard.concurrencyLimit() < bound && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return guard.concurrencyLimit();
  }
}
