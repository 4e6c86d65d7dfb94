package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.guard.BulkheadFullException;
import dev.stability.api.guard.DeadlineExceededException;
import dev.stability.api.guard.RateLimitedException;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardPoliciesTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-24T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StabilityRuntime runtime;

  private Guard guard(GuardSettings spec, Clock withClock) {
    runtime =
        TestRuntimes.quiet("a1")
            .clock(withClock)
            .meterRegistry(registry)
            .eventSink(sink)
            .guard(spec)
            .build();
    return runtime.guards().guard(spec.name());
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private double calls(String guard, String outcome) {
    return registry
        .get("stability.guard.calls")
        .tag("guard", guard)
        .tag("outcome", outcome)
        .functionTimer()
        .count();
  }

  @Test
  void bulkheadRefusesAtOnceWhenEveryPermitIsTakenAndReportsOneThrottledEvent() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("db").bulkhead(BulkheadSettings.of(2)).build(),
            Clock.systemUTC());
    CountDownLatch inside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> holders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread holder =
          new Thread(
              () -> {
                try {
                  guard.call(
                      () -> {
                        inside.countDown();
                        return release.await(10, TimeUnit.SECONDS);
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      holder.start();
      holders.add(holder);
    }
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(guard.inflight()).isEqualTo(2);

    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> guard.call(() -> "x"))
          .isInstanceOf(BulkheadFullException.class)
          .hasMessage("guard 'db': all 2 bulkhead permits in use");
    }
    release.countDown();
    for (Thread holder : holders) {
      holder.join();
    }

    assertThat(guard.inflight()).isZero();
    assertThat(guard.call(() -> "after")).isEqualTo("after");
    assertThat(calls("db", "REJECTED")).isEqualTo(100);
    runtime.events().awaitDelivery(Duration.ofSeconds(5));
    assertThat(sink.withCode("GUARD_BULKHEAD_SATURATED")).hasSize(1); // a storm, one line
  }

  @Test
  void threadPoolBulkheadRunsWorkOffTheCallerAndRefusesWhenPoolAndQueueAreFull() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("settlement-db")
                .threadPoolBulkhead(ThreadPoolBulkheadSettings.of(1, 1))
                .build(),
            Clock.systemUTC());
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String caller = Thread.currentThread().getName();

    CompletionStage<String> first =
        guard.submit(
            () -> {
              running.countDown();
              release.await(10, TimeUnit.SECONDS);
              return Thread.currentThread().getName();
            });
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    CompletionStage<String> queued = guard.submit(() -> "queued");
    CompletionStage<String> refused = guard.submit(() -> "refused");

    assertThatThrownBy(() -> refused.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(BulkheadFullException.class)
        .hasMessage("guard 'settlement-db': thread pool and queue full");
    release.countDown();
    assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS)).isNotEqualTo(caller);
    assertThat(queued.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("queued");
    assertThat(calls("settlement-db", "SUCCESS")).isEqualTo(2);
    assertThat(calls("settlement-db", "REJECTED")).isEqualTo(1);
  }

  @Test
  void closingTheRuntimeStopsTheGuardsThreads() throws Exception {
    StabilityRuntime own =
        TestRuntimes.quiet("closing-1")
            .guard(GuardSettings.builder("timed").timeLimit(Duration.ofSeconds(5)).build())
            .guard(
                GuardSettings.builder("pooled")
                    .threadPoolBulkhead(ThreadPoolBulkheadSettings.of(2, 2))
                    .build())
            .build();
    own.guards()
        .guard("timed")
        .callAsync(() -> CompletableFuture.completedFuture("x"))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    own.guards().guard("pooled").submit(() -> "y").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(guardThreads())
        .anyMatch(n -> n.equals("stability-guard-timer-closing-1"))
        .anyMatch(n -> n.contains("bulkhead-pooled"));

    own.close();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!guardThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(guardThreads()).isEmpty();
  }

  private static List<String> guardThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.equals("stability-guard-timer-closing-1") || n.contains("bulkhead-pooled"))
        .toList();
  }

  @Test
  void submitWithoutAThreadPoolSaysSo() {
    Guard guard = guard(GuardSettings.builder("db").build(), clock);

    assertThatThrownBy(() -> guard.submit(() -> "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("guard 'db' has no thread-pool-bulkhead to run submitted work on");
  }

  @Test
  void rateLimiterRefusesCallsBeyondThePeriodsPermits() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("venue")
                .rateLimiter(RateLimiterSettings.of(3, Duration.ofMinutes(1)))
                .build(),
            Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      guard.call(() -> "ok");
    }

    assertThatThrownBy(() -> guard.call(() -> "x")).isInstanceOf(RateLimitedException.class);
    runtime.events().awaitDelivery(Duration.ofSeconds(5));
    assertThat(sink.withCode("GUARD_RATE_LIMITED")).hasSize(1);
  }

  @Test
  void synchronousDeadlineFailsALateAnswerWithoutAnotherThread() throws Exception {
    Guard guard =
        guard(GuardSettings.builder("risk").deadline(Duration.ofMillis(10)).build(), clock);
    String caller = Thread.currentThread().getName();
    List<String> ranOn = new ArrayList<>();

    assertThat(
            guard.call(
                () -> {
                  clock.advance(Duration.ofMillis(10));
                  return "on time";
                }))
        .isEqualTo("on time");
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      ranOn.add(Thread.currentThread().getName());
                      clock.advance(Duration.ofMillis(12));
                      return "late";
                    }))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessage("guard 'risk': call took 12.000 ms, over its deadline of 10.000 ms");

    assertThat(ranOn).containsExactly(caller);
    assertThat(calls("risk", "TIMEOUT")).isEqualTo(1);
    assertThat(calls("risk", "SUCCESS")).isEqualTo(1);
  }

  @Test
  void asynchronousTimeLimitFailsTheStageAndCancelsTheCall() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("clearing").timeLimit(Duration.ofMillis(50)).build(),
            Clock.systemUTC());
    CompletableFuture<String> never = new CompletableFuture<>();

    CompletionStage<String> stage = guard.callAsync(() -> never);

    assertThatThrownBy(() -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("time limit of 50 ms");
    assertThat(never.isCancelled()).isTrue();
    assertThat(calls("clearing", "TIMEOUT")).isEqualTo(1);
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture("fast"))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .isEqualTo("fast");
  }

  @Test
  void retryOnANonIdempotentGuardIsRefusedAtBuild() {
    assertThatThrownBy(
            () -> GuardSettings.builder("order-entry").retry(RetrySettings.defaults()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("guards.order-entry.retry")
        .hasMessageContaining("a resent order is a duplicate order");
  }

  @Test
  void idempotentRetryWaitsExactlyAsConfiguredThenGivesUp() throws Exception {
    RetrySettings retry =
        RetrySettings.defaults()
            .withMaxAttempts(4)
            .withBackoff(Duration.ofMillis(100), 2.0, 0.0, Duration.ofMillis(300));
    Guard guard =
        guard(GuardSettings.builder("quotes").idempotent(true).retry(retry).build(), clock);
    List<Long> attemptsAt = new ArrayList<>();
    long start = clock.millis();

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      attemptsAt.add(clock.millis() - start);
                      throw new IOException("feed down");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("feed down");

    assertThat(attemptsAt).containsExactly(0L, 100L, 300L, 600L); // waits 100, 200, 300 (cap)
    assertThat(registry.get("stability.guard.retries").tag("guard", "quotes").counter().count())
        .isEqualTo(3);
    runtime.events().awaitDelivery(Duration.ofSeconds(5));
    assertThat(sink.withCode("GUARD_RETRY_EXHAUSTED"))
        .singleElement()
        .satisfies(r -> assertThat(r.attrs()).containsEntry("attempts", "4"));
  }

  @Test
  void retryStopsAtTheFirstSuccessAndJitterStaysWithinItsBounds() throws Exception {
    RetrySettings retry =
        RetrySettings.defaults()
            .withMaxAttempts(5)
            .withBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(10));
    Guard guard =
        guard(GuardSettings.builder("quotes").idempotent(true).retry(retry).build(), clock);
    AtomicInteger attempts = new AtomicInteger();
    long start = clock.millis();

    String result =
        guard.call(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IOException("blip");
              }
              return "quote";
            });

    assertThat(result).isEqualTo("quote");
    assertThat(attempts).hasValue(3);
    long waited = clock.millis() - start; // 100 +-50 then 200 +-100
    assertThat(waited).isBetween(150L, 450L);
  }

  @Test
  void fallbackAnswersForAnyFailureIncludingRefusals() throws Exception {
    Guard guard =
        guard(GuardSettings.builder("db").bulkhead(BulkheadSettings.of(1)).build(), clock);
    Callable<String> failing =
        () -> {
          throw new IOException("down");
        };

    assertThat(guard.call(failing, e -> "cached:" + e.getMessage())).isEqualTo("cached:down");
    assertThat(guard.decorate(failing, e -> "cached").get()).isEqualTo("cached");
    String nested = guard.call(() -> guard.call(() -> "inner", e -> e.getClass().getSimpleName()));
    assertThat(nested).isEqualTo("BulkheadFullException");
  }

  @Test
  void decoratedCallableAppliesThePoliciesOnEveryCall() throws Exception {
    Guard guard =
        guard(GuardSettings.builder("db").bulkhead(BulkheadSettings.of(1)).build(), clock);
    Callable<Integer> decorated = guard.decorate(() -> guard.inflight());

    assertThat(decorated.call()).isEqualTo(1);
    assertThat(decorated.call()).isEqualTo(1);
    assertThat(calls("db", "SUCCESS")).isEqualTo(2);
    assertThat(runtime.guards().all()).extracting(Guard::name).containsExactly("db");
    assertThatThrownBy(() -> runtime.guards().guard("nope"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guards.nope = 'nope': no such guard; known guards: [db]");
  }

  @Test
  void runPropagatesUncheckedExceptionsUnchanged() {
    Guard guard = guard(GuardSettings.builder("db").build(), clock);
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                guard.run(
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    List<LogRecord> none = sink.withCode("GUARD_CIRCUIT_OPENED");
    assertThat(none).isEmpty();
  }
}
