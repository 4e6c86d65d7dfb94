package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.LogRecord;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShadowTest {

  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StabilityRuntime runtime =
      TestRuntimes.quiet("a1").meterRegistry(registry).eventSink(sink).build();

  @AfterEach
  void stop() {
    runtime.close();
  }

  /** Fee in 1/100 yuan: 0.03% of notional, at least 5 yuan. The candidate rounds differently. */
  private static long controlFee(long notional) {
    return Math.max(500, notional * 3 / 100);
  }

  private static long candidateFee(long notional) {
    return Math.max(500, (notional * 3 + 50) / 100);
  }

  @Test
  void theControlsAnswerIsReturnedUnchangedAndTheCandidateNeverRunsOnTheCallersThread() {
    Set<Thread> candidateThreads = ConcurrentHashMap.newKeySet();
    Shadow<Long, Long> fees =
        runtime
            .consistency()
            .shadow(
                ShadowSettings.<Long, Long>builder(
                        "fees",
                        ShadowTest::controlFee,
                        notional -> {
                          candidateThreads.add(Thread.currentThread());
                          return candidateFee(notional);
                        })
                    .build());
    for (long notional = 1000; notional < 101_000; notional += 1000) {
      assertThat(fees.apply(notional)).isEqualTo(controlFee(notional));
    }
    assertThat(fees.apply(1_234_584L)).isEqualTo(37_037L); // the candidate says 37038

    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fees.counts().matched() + fees.counts().mismatched() == 101);
    assertThat(fees.counts().mismatched()).isEqualTo(1);
    assertThat(candidateThreads)
        .isNotEmpty()
        .doesNotContain(Thread.currentThread())
        .allSatisfy(t -> assertThat(t.getName()).startsWith("stability-shadow-fees-"));
    assertThat(
            registry
                .get("stability.shadow.comparisons")
                .tag("shadow", "fees")
                .tag("result", "match")
                .counter()
                .count())
        .isEqualTo(100);
  }

  @Test
  void mismatchesAndCandidateFailuresAreEventsWithBothAnswers() throws Exception {
    Shadow<Long, Long> fees =
        runtime
            .consistency()
            .shadow(
                ShadowSettings.<Long, Long>builder(
                        "fees",
                        ShadowTest::controlFee,
                        notional -> {
                          if (notional < 0) {
                            throw new IllegalArgumentException("negative notional");
                          }
                          return candidateFee(notional);
                        })
                    .build());
    fees.apply(1_234_584L);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fees.counts().mismatched() == 1);
    fees.apply(-1L);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fees.counts().failed() == 1);
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    LogRecord mismatch = sink.withCode("SHADOW_MISMATCH").get(0);
    assertThat(mismatch.attrs())
        .containsEntry("input", "1234584")
        .containsEntry("control", "37037")
        .containsEntry("candidate", "37038");
    LogRecord failed = sink.withCode("SHADOW_FAILED").get(0);
    assertThat(failed.message())
        .contains("the candidate threw on -1 where the control answered 500");
  }

  @Test
  void aFullQueueDropsAndCountsComparisonsWithoutSlowingTheCaller() throws Exception {
    CountDownLatch candidateStuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Shadow<Long, Long> fees =
        runtime
            .consistency()
            .shadow(
                ShadowSettings.<Long, Long>builder(
                        "fees",
                        ShadowTest::controlFee,
                        notional -> {
                          candidateStuck.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return candidateFee(notional);
                        })
                    .queueCapacity(4)
                    .build());
    fees.apply(1000L);
    assertThat(candidateStuck.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(fees.apply(2000L)).isEqualTo(500L);
    }
    // One is being compared, four wait, the other sixteen were dropped.
    assertThat(fees.counts().dropped()).isEqualTo(16);
    release.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fees.counts().matched() == 5);
  }

  @Test
  void sampleRateZeroComparesNothingAndTheControlsExceptionReachesTheCaller() {
    Shadow<Long, Long> fees =
        runtime
            .consistency()
            .shadow(
                ShadowSettings.<Long, Long>builder(
                        "fees",
                        notional -> {
                          if (notional < 0) {
                            throw new IllegalArgumentException("negative notional");
                          }
                          return controlFee(notional);
                        },
                        ShadowTest::candidateFee)
                    .sampleRate(0)
                    .build());
    fees.apply(1_234_584L);
    assertThatThrownBy(() -> fees.apply(-5L)).hasMessage("negative notional");
    assertThat(fees.counts()).isEqualTo(new Shadow.Counts(0, 0, 0, 0));
  }

  @Test
  void badSpecsAreRefused() {
    assertThatThrownBy(
            () ->
                ShadowSettings.<Long, Long>builder("fees", x -> x, x -> x).sampleRate(1.5).build())
        .hasMessage("shadow.fees.sample-rate = 1.5: must be 0..1");
    runtime
        .consistency()
        .shadow(ShadowSettings.<Long, Long>builder("fees", x -> x, x -> x).build());
    assertThatThrownBy(
            () ->
                runtime
                    .consistency()
                    .shadow(ShadowSettings.<Long, Long>builder("fees", x -> x, x -> x).build()))
        .hasMessage("shadow.name = 'fees': must be unique in a runtime");
    assertThat(List.of()).isEmpty();
  }
}
