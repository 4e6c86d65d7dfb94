package dev.stability.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.guard.DeadlineExceededException;
import dev.stability.core.ManualClock;
import dev.stability.core.guard.Guard;
import dev.stability.testkit.junit.StabilityTest;
import dev.stability.testkit.junit.TestRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@StabilityTest(manualClock = true, guards = "fault-guards.yaml")
class FaultsTest {

  private static List<Boolean> outcomes(Callable<String> call, int n) {
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        call.call();
        failed.add(false);
      } catch (Exception e) {
        failed.add(true);
      }
    }
    return failed;
  }

  @Test
  void errorRateIsDeterministicBySeedAndNearItsRate() {
    Callable<String> ok = () -> "ok";
    Fault sameSeedA = Faults.errorRate(0.3, 42, () -> new IOException("injected"));
    Fault sameSeedB = Faults.errorRate(0.3, 42, () -> new IOException("injected"));
    Fault otherSeed = Faults.errorRate(0.3, 7, () -> new IOException("injected"));

    List<Boolean> a = outcomes(Faults.wrap(ok, sameSeedA), 1000);
    List<Boolean> b = outcomes(Faults.wrap(ok, sameSeedB), 1000);
    List<Boolean> c = outcomes(Faults.wrap(ok, otherSeed), 1000);

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    long failures = a.stream().filter(f -> f).count();
    assertThat(failures).isBetween(250L, 350L);
  }

  @Test
  void injectedExceptionsOpenTheGuardsBreakerAndRemovingTheFaultStopsThem(TestRuntime test)
      throws Exception {
    Guard guard = test.runtime().guards().guard("exchange-link");
    try (Faults.Injection ignored =
        Faults.inject(guard, Faults.exception(() -> new IOException("link down (injected)")))) {
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> guard.call(() -> "sent")).hasMessage("link down (injected)");
      }
    }

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED)
        .forGuard("exchange-link")
        .within(Duration.ofSeconds(2));
    assertThat(guard.settings().name()).isEqualTo("exchange-link"); // the guard is unchanged
    assertThat(Faults.wrap(() -> "x", Faults.latency(Duration.ZERO)).call()).isEqualTo("x");
  }

  @Test
  void injectedLatencyOnAManualClockTripsTheDeadlineWithoutWaiting(
      TestRuntime test, ManualClock clock) throws Exception {
    Guard guard = test.runtime().guards().guard("exchange-link");
    long before = System.nanoTime();

    try (Faults.Injection ignored =
        Faults.inject(guard, Faults.latency(Duration.ofMillis(15), clock))) {
      assertThatThrownBy(() -> guard.call(() -> "late"))
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("over its deadline of 10.000 ms");
    }

    assertThat(guard.call(() -> "on time")).isEqualTo("on time");
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    test.expectMetric("stability.guard.calls").tag("outcome", "TIMEOUT").increasedBy(1);
  }

  @Test
  void hangHoldsTheCallUntilReleased(TestRuntime test) throws Exception {
    Guard guard = test.runtime().guards().guard("exchange-link");
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> result = new AtomicReference<>();
    Thread caller;
    try (Faults.Injection ignored = Faults.inject(guard, Faults.hang(release))) {
      caller =
          new Thread(
              () -> {
                try {
                  result.set(guard.call(() -> "answered"));
                } catch (Exception e) {
                  result.set(e.toString());
                }
              });
      caller.start();
      caller.join(200);
      assertThat(caller.isAlive()).as("the call hangs").isTrue();
      assertThat(guard.inflight()).isZero(); // no bulkhead in this guard: nothing counted
    }
    release.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(5));

    assertThat(result.get()).isEqualTo("answered");
  }

  @Test
  void latencyDistributionWaitsAtLeastItsMinimumAndRefusesAnInvertedRange() throws Exception {
    Fault a = Faults.latency(Duration.ofMillis(1), Duration.ofMillis(3), 9);
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      Faults.wrap(() -> "x", a).call();
      took.add(System.nanoTime() - start);
    }

    assertThat(took).allMatch(n -> n >= 1_000_000);
    assertThatThrownBy(() -> Faults.latency(Duration.ofMillis(3), Duration.ofMillis(1), 1))
        .hasMessageContaining("is below min");
  }

  @Test
  void timeoutFaultTakesItsTimeThenFailsWithoutRunningTheCall() {
    List<String> ran = new ArrayList<>();
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                Faults.wrap(
                        () -> {
                          ran.add("ran");
                          return "x";
                        },
                        Faults.timeout(Duration.ofMillis(20)))
                    .call())
        .isInstanceOf(java.util.concurrent.TimeoutException.class)
        .hasMessage("dependency timed out after 20 ms (injected)");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
    assertThat(ran).isEmpty();
  }

  @Test
  void faultsComposeInOrder() throws Exception {
    List<String> order = new ArrayList<>();
    Fault first =
        new Fault() {
          @Override
          public <T> T apply(Callable<T> call) throws Exception {
            order.add("first");
            return call.call();
          }
        };
    Fault second =
        new Fault() {
          @Override
          public <T> T apply(Callable<T> call) throws Exception {
            order.add("second");
            return call.call();
          }
        };

    assertThat(Faults.wrap(() -> "x", first.then(second)).call()).isEqualTo("x");
    assertThat(order).containsExactly("first", "second");
    assertThatThrownBy(() -> Faults.errorRate(1.5, 1, IOException::new))
        .hasMessage("error rate must be between 0 and 1, got 1.5");
  }
}
