package dev.stability.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.api.event.EventSink;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.health.CheckResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The event pipeline survives any output failure and never goes silent. */
class EventOutputFailureTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CapturingSink good = new CapturingSink();

  private StabilityRuntime runtime(EventSink failing) {
    return TestRuntimes.quiet("a1")
        .meterRegistry(registry)
        .eventSink(failing)
        .eventSink(good)
        .build();
  }

  private static void publishApp(StabilityRuntime runtime, String message) {
    runtime.events().publish(StabilityEventCode.APP_LOG, message);
  }

  @Test
  void aSinkThatThrowsAnErrorIsReportedAndTheEventThreadGoesOn() throws Exception {
    EventSink throwsError =
        (record, line) -> {
          if (record.message().equals("poison")) {
            throw new AssertionError("sink bug");
          }
        };
    try (StabilityRuntime runtime = runtime(throwsError)) {
      publishApp(runtime, "poison");
      publishApp(runtime, "after");
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      assertThat(good.withCode("EVENT_SINK_FAILED"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.AssertionError");
                assertThat(r.text(LogField.ERROR_MESSAGE)).isEqualTo("sink bug");
                assertThat(r.attrs()).containsEntry("failed_code", "APP_LOG");
              });
      assertThat(good.withCode("APP_LOG"))
          .extracting(LogRecord::message)
          .containsExactly("poison", "after");
      assertThat(registry.get("stability.event.sink.failures").counter().count()).isEqualTo(1);
      assertThat(registry.get("stability.events.dispatcher.running").gauge().value()).isEqualTo(1);
      assertThat(runtime.health().check("events").status()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void anOutputThatKeepsFailingIsReportedOnceAndSwitchedOffAfterFiveInARow() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EventSink alwaysFails =
        (record, line) -> {
          calls.incrementAndGet();
          throw new IllegalStateException("disk full");
        };
    try (StabilityRuntime runtime = runtime(alwaysFails)) {
      for (int i = 0; i < 20; i++) {
        publishApp(runtime, "n" + i);
      }
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      assertThat(good.withCode("APP_LOG")).hasSize(20);
      assertThat(good.withCode("EVENT_SINK_FAILED")).hasSize(1);
      assertThat(good.withCode("EVENT_OUTPUT_DISABLED"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.message()).contains("failed 5 times in a row").contains("disk full");
                assertThat(r.attrs()).containsEntry("failures", "5");
              });
      assertThat(calls.get()).isEqualTo(5); // never called once off
      CheckResult events = runtime.health().check("events");
      assertThat(events.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(events.reason()).contains("disk full");
      assertThat(registry.get("stability.event.sink.failures").counter().count()).isEqualTo(5);
    }
  }

  @Test
  void anOutputThatRecoversBeforeTheLimitStaysOnAndAFreshRunIsReportedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    EventSink flaky =
        (record, line) -> {
          int call = calls.incrementAndGet();
          // fails 4 in a row (the failure report is the 2nd call), works, then fails again
          if (call <= 4 || call == 6) {
            throw new IllegalStateException("flaky " + call);
          }
        };
    try (StabilityRuntime runtime = runtime(flaky)) {
      for (int i = 0; i < 4; i++) {
        publishApp(runtime, "n" + i);
      }
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      assertThat(good.withCode("EVENT_OUTPUT_DISABLED")).isEmpty();
      assertThat(good.withCode("EVENT_SINK_FAILED"))
          .extracting(r -> r.text(LogField.ERROR_MESSAGE))
          .containsExactly("flaky 1", "flaky 6");
      assertThat(runtime.health().check("events").status()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void aLinkageErrorSwitchesTheOutputOffAtOnceAndTheReportNamesTheVersionsAndTheRemedy()
      throws Exception {
    // What an SLF4J 2.0 call does on a 1.7 slf4j-api; the real 1.7 world is tested in the
    // stability-compat-slf4j1 module.
    EventSink oldWorld =
        (record, line) -> {
          throw new NoSuchMethodError(
              "'boolean org.slf4j.Logger.isEnabledForLevel(org.slf4j.event.Level)'");
        };
    try (StabilityRuntime runtime = runtime(oldWorld)) {
      publishApp(runtime, "one");
      publishApp(runtime, "two");
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      LogRecord failed = good.withCode("EVENT_SINK_FAILED").get(0);
      assertThat(failed.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.NoSuchMethodError");
      assertThat(failed.attrs().get("remedy"))
          .contains("Found: slf4j-api 2.0.")
          .contains("org.slf4j.Logger from slf4j-api-2.0.")
          .contains("Supported: slf4j-api 1.7.25")
          .contains("mvn dependency:tree");
      assertThat(good.withCode("EVENT_OUTPUT_DISABLED"))
          .singleElement()
          .satisfies(r -> assertThat(r.message()).contains("NoSuchMethodError"));
      assertThat(good.withCode("APP_LOG")).hasSize(2);
      assertThat(good.withCode("EVENT_SINK_FAILED")).hasSize(1);
    }
  }

  @Test
  void aStoppedEventThreadIsNoticedAndRecordsAreWrittenOnThePublishingThread() throws Exception {
    EventSink killer =
        (record, line) -> {
          if (record.message().equals("kill")) {
            throw new OutOfMemoryError("killed on purpose by the test");
          }
        };
    try (StabilityRuntime runtime = runtime(killer)) {
      assertThat(registry.get("stability.events.dispatcher.running").gauge().value()).isEqualTo(1);
      publishApp(runtime, "kill");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> runtime.health().check("events").status() == HealthStatus.DOWN);

      CheckResult events = runtime.health().check("events");
      assertThat(events.reason())
          .contains("event thread stopped")
          .contains("killed on purpose")
          .contains("written on the publishing threads");
      assertThat(registry.get("stability.events.dispatcher.running").gauge().value()).isEqualTo(0);
      assertThat(good.withCode("EVENT_DISPATCHER_STOPPED"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.OutOfMemoryError");
                assertThat(r.attrs()).containsKey("output");
              });

      // Written at once, on this thread: no event thread to queue for.
      publishApp(runtime, "after the stop");
      assertThat(good.withCode("APP_LOG"))
          .filteredOn(r -> r.message().equals("after the stop"))
          .singleElement()
          .satisfies(
              r -> assertThat(r.text(LogField.THREAD)).isEqualTo(Thread.currentThread().getName()));
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(1))).isTrue();
      assertThat(good.withCode("APP_LOG")).extracting(LogRecord::message).contains("kill");
    }
  }

  @Test
  void recordsQueuedWhenTheEventThreadStopsAreStillWritten() throws Exception {
    java.util.concurrent.CountDownLatch inKiller = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch queuedAll = new java.util.concurrent.CountDownLatch(1);
    EventSink killer =
        (record, line) -> {
          if (record.message().equals("kill")) {
            inKiller.countDown();
            try {
              queuedAll.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new StackOverflowError("killed on purpose by the test");
          }
        };
    try (StabilityRuntime runtime = runtime(killer)) {
      publishApp(runtime, "kill");
      inKiller.await();
      for (int i = 0; i < 50; i++) {
        publishApp(runtime, "queued " + i);
      }
      queuedAll.countDown();
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      assertThat(good.withCode("APP_LOG")).hasSize(51);
      assertThat(runtime.events().dropped()).isZero();
      assertThat(good.withCode("EVENT_DISPATCHER_STOPPED")).hasSize(1);
    }
  }

  @Test
  void runtimeStartedSaysWhatTheSdkRunsOn() throws Exception {
    try (StabilityRuntime runtime = runtime((record, line) -> {})) {
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    }
    LogRecord started = good.withCode("RUNTIME_STARTED").get(0);
    assertThat(started.attrs())
        .containsEntry("sdk_version", "0.1.0-SNAPSHOT")
        .containsEntry("slf4j_provider", "ch.qos.logback.classic.LoggerContext");
    assertThat(started.attrs().get("slf4j_api")).startsWith("2.0.").endsWith("(key-values)");
    assertThat(started.attrs().get("logging_backend")).startsWith("Logback 1.5.");
    assertThat(started.attrs().get("jdk")).startsWith(System.getProperty("java.runtime.version"));
    assertThat(started.message()).contains("slf4j-api 2.0.").contains("Logback 1.5.");
  }
}
