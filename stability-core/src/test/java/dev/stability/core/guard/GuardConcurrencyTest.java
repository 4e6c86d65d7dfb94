package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.guard.BulkheadFullException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Real threads racing through one guard: permits are never oversold, nothing is miscounted. */
class GuardConcurrencyTest {

  private static final int THREADS = 4;
  private static final int CALLS = 25_000;

  @Test
  void bulkheadNeverLetsMoreCallsInThanItsPermitsAndEveryCallIsCountedOnce() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    LongAdder ran = new LongAdder();
    LongAdder refused = new LongAdder();
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .meterRegistry(registry)
            .guard(
                GuardSettings.builder("db")
                    .bulkhead(BulkheadSettings.of(2))
                    .circuitBreaker(CircuitBreakerSettings.builder().build())
                    .build())
            .build()) {
      Guard guard = runtime.guards().guard("db");
      Callable<Integer> work =
          guard.decorate(
              () -> {
                int now = inside.incrementAndGet();
                mostInside.accumulateAndGet(now, Math::max);
                Thread.onSpinWait();
                ran.increment();
                return inside.decrementAndGet();
              });
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < CALLS; i++) {
                      try {
                        work.call();
                      } catch (BulkheadFullException e) {
                        refused.increment();
                      }
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }

      assertThat(mostInside.get()).isLessThanOrEqualTo(2);
      assertThat(ran.sum() + refused.sum()).isEqualTo((long) THREADS * CALLS);
      assertThat(guard.inflight()).isZero();
      assertThat(count(registry, "SUCCESS")).isEqualTo(ran.sum());
      assertThat(count(registry, "REJECTED")).isEqualTo(refused.sum());
    }
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry
        .get("stability.guard.calls")
        .tag("guard", "db")
        .tag("outcome", outcome)
        .functionTimer()
        .count();
  }
}
