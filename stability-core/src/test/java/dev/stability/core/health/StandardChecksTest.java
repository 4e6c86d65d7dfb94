package dev.stability.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.LoadSheddingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardChecksTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-30T00:30:00Z"), ZoneId.of("Asia/Shanghai"));

  @Test
  void runtimeRegistersGuardsAndJvmChecksByDefaultAndAnOpenBreakerDegradesReadiness() {
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .health(HealthSettings.builder().cacheFor(Duration.ZERO).build())
            .guard(
                GuardSettings.builder("exchange-link")
                    .circuitBreaker(CircuitBreakerSettings.builder().build())
                    .build())
            .guard(GuardSettings.builder("clearing-link").build())
            .build()) {
      assertThat(runtime.health().lastResults())
          .extracting(CheckResult::name, CheckResult::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("jvm", HealthKind.LIVENESS),
              org.assertj.core.groups.Tuple.tuple("events", HealthKind.LIVENESS),
              org.assertj.core.groups.Tuple.tuple("guards", HealthKind.READINESS));
      CheckResult closed = runtime.health().check("guards");
      assertThat(closed.status()).isEqualTo(HealthStatus.UP);
      assertThat(closed.details())
          .containsEntry("exchange-link", "closed")
          .containsEntry("clearing-link", "disabled");

      runtime.guards().guard("exchange-link").forceOpen();

      CheckResult open = runtime.health().check("guards");
      assertThat(open.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(open.reason()).isEqualTo("exchange-link breaker FORCED_OPEN");
      assertThat(open.details()).containsEntry("exchange-link", "forced_open");
      assertThat(runtime.health().report(HealthKind.READINESS).status())
          .isEqualTo(HealthStatus.DEGRADED);
    }
  }

  @Test
  void sheddingGuardDegradesReadiness() throws Exception {
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .health(HealthSettings.builder().cacheFor(Duration.ZERO).build())
            .guard(
                GuardSettings.builder("order-entry")
                    .loadShedding(LoadSheddingSettings.defaults().withLimits(1, 1, 1))
                    .build())
            .build()) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder =
          new Thread(
              () ->
                  runtime
                      .guards()
                      .guard("order-entry")
                      .run(
                          () -> {
                            inside.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          }));
      holder.start();
      assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> runtime.guards().guard("order-entry").run(() -> {}))
          .isInstanceOf(dev.stability.api.guard.LoadShedException.class);

      CheckResult result = runtime.health().check("guards");
      assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(result.reason()).isEqualTo("order-entry shedding load");
      release.countDown();
      holder.join();
    }
  }

  @Test
  void jvmCheckIsUpWithDetailsAndDegradedPastItsLimits() throws Exception {
    HealthResult healthy = StandardChecks.jvm().check();
    assertThat(healthy.status()).isEqualTo(HealthStatus.UP);
    assertThat(healthy.details())
        .containsKeys("heap_used_ratio", "gc_pause_share", "threads", "deadlocked_threads");

    HealthResult tooManyThreads =
        StandardChecks.jvm(new StandardChecks.JvmCheckSettings(0.9, 0.1, 1)).check();
    assertThat(tooManyThreads.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(tooManyThreads.reason()).matches("\\d+ threads, limit 1");

    assertThatThrownBy(() -> new StandardChecks.JvmCheckSettings(1.5, 0.1, 10))
        .hasMessage("health.jvm.max-heap-used = 1.5: must be between 0.1 and 1.0");
  }

  @Test
  void jvmCheckFindsRealDeadlockedThreadsAndIsDown() throws Exception {
    ReentrantLock first = new ReentrantLock();
    ReentrantLock second = new ReentrantLock();
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Thread a = new Thread(() -> lockBoth(first, second, bothHoldOne), "deadlock-a");
    Thread b = new Thread(() -> lockBoth(second, first, bothHoldOne), "deadlock-b");
    a.start();
    b.start();
    try {
      HealthCheck jvm = StandardChecks.jvm();
      HealthResult result = jvm.check();
      for (int i = 0; i < 500 && result.status() != HealthStatus.DOWN; i++) { // up to 10 s
        Thread.sleep(20);
        result = jvm.check();
      }
      assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(result.reason()).startsWith("2 threads deadlocked: [").contains("deadlock-a");
      assertThat(result.details()).containsEntry("deadlocked_threads", 2);
    } finally {
      a.interrupt();
      b.interrupt();
      a.join();
      b.join();
    }
  }

  private static void lockBoth(ReentrantLock mine, ReentrantLock other, CountDownLatch ready) {
    try {
      mine.lockInterruptibly();
      try {
        ready.countDown();
        ready.await();
        other.lockInterruptibly();
        other.unlock();
      } finally {
        mine.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void diskSpaceCheckReadsTheRealFileStore(@TempDir Path dir) throws Exception {
    HealthResult enough = StandardChecks.diskSpace("journal", dir, 0).check();
    assertThat(enough.status()).isEqualTo(HealthStatus.UP);
    assertThat((Long) enough.details().get("free_bytes")).isPositive();

    HealthResult tooLittle = StandardChecks.diskSpace("journal", dir, Long.MAX_VALUE).check();
    assertThat(tooLittle.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(tooLittle.reason()).startsWith(dir + " has ").contains("free, needs at least");

    HealthResult missing = StandardChecks.diskSpace("journal", dir.resolve("gone"), 1).check();
    assertThat(missing.reason()).isEqualTo("path " + dir.resolve("gone") + " does not exist");
    assertThat(StandardChecks.diskSpace("journal", dir, 0).name()).isEqualTo("disk.journal");
    assertThatThrownBy(() -> StandardChecks.diskSpace("journal", dir, -1))
        .hasMessage("health.disk.journal.min-free = -1: must be >= 0");
  }

  @Test
  void clockOffsetCheckComparesWithTheApplicationsReference() throws Exception {
    Duration max = Duration.ofMillis(10);
    HealthResult inSync =
        StandardChecks.clockOffset(clock, () -> clock.instant().minusMillis(3), max).check();
    assertThat(inSync.status()).isEqualTo(HealthStatus.UP);
    assertThat(inSync.details()).containsEntry("offset_us", 3_000L);

    HealthResult behind =
        StandardChecks.clockOffset(clock, () -> clock.instant().plusSeconds(2), max).check();
    assertThat(behind.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(behind.reason())
        .isEqualTo("clock is -2000000 us off the reference, more than the allowed 10 ms");

    HealthResult noAnswer = StandardChecks.clockOffset(clock, () -> null, max).check();
    assertThat(noAnswer.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThatThrownBy(() -> StandardChecks.clockOffset(clock, clock::instant, Duration.ZERO))
        .hasMessage("health.clock.max-offset = PT0S: must be a positive duration");
  }
}
