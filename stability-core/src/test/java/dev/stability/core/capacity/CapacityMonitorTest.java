package dev.stability.core.capacity;

import static dev.stability.core.capacity.CapacityFixtures.second;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.fixtures.RuntimeUnderTest;
import dev.stability.core.health.CheckResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CapacityMonitorTest {

  // 23:59:56 in Shanghai: the fourth one-second sample falls on the next day.
  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-30T15:59:56Z"), ZoneId.of("Asia/Shanghai"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @TempDir Path dir;
  @RegisterExtension final RuntimeUnderTest test = new RuntimeUnderTest();
  private StabilityRuntime runtime;

  private Capacity capacity(CapacitySettings.Builder settings) {
    runtime = test.start(b -> b.clock(clock).meterRegistry(registry).capacity(settings.build()));
    return runtime.capacity();
  }

  @Test
  void ratesAndPeaksFollowTheClockAndTodaysPeakStartsAgainAtMidnight() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders", "trades"));
    CapacityIndicator orders = capacity.indicator("orders");

    second(clock, capacity, orders, 500);
    assertThat(orders.rate()).isEqualTo(500.0);
    second(clock, capacity, orders, 1200);
    second(clock, capacity, orders, 800);
    assertThat(orders.rate()).isEqualTo(800.0);
    assertThat(orders.peakToday()).isEqualTo(1200.0);
    assertThat(orders.historicalPeak()).isEqualTo(1200.0);
    assertThat(orders.total()).isEqualTo(2500);

    second(clock, capacity, orders, 300); // first second of the next day in Shanghai
    assertThat(orders.peakToday()).isEqualTo(300.0);
    assertThat(orders.historicalPeak()).isEqualTo(1200.0);
    assertThat(capacity.indicator("trades").rate()).isZero();
  }

  @Test
  void aSampleLessThanASecondAfterTheLastIsSkippedAndALongGapIsAveraged() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    orders.record(100);
    clock.advance(Duration.ofMillis(900));
    capacity.sample();
    assertThat(orders.rate()).isZero();
    clock.advance(Duration.ofMillis(1_100));
    capacity.sample();
    assertThat(orders.rate()).isEqualTo(50.0);
  }

  @Test
  void aStoreThatDoesNotExistYetIsAnnouncedNotSilentlyStartedFromZero() throws Exception {
    capacity(CapacitySettings.builder().indicators("orders").store(dir.resolve("new.json")));
    assertThat(test.delivered(StabilityEventCode.CAPACITY_STORE_NEW))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("a new history starts"));
  }

  @Test
  void historicalPeakAndTestedCapacitySurviveARestartThroughTheStore() throws Exception {
    Path store = dir.resolve("capacity.json");
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders").store(store));
    second(clock, capacity, capacity.indicator("orders"), 4_000);
    capacity.indicator("orders").recordTested(15_000, "pressure test 2026-11-28");
    runtime.close();
    assertThat(Files.readString(store)).contains("\"format\" : \"stability-capacity/2\"");

    Capacity restarted =
        capacity(CapacitySettings.builder().indicators("orders", "trades").store(store));
    CapacityIndicator orders = restarted.indicator("orders");
    assertThat(orders.historicalPeak()).isEqualTo(4_000.0);
    assertThat(orders.testedCapacity()).isEqualTo(15_000.0);
    assertThat(orders.headroom()).isEqualTo(3.75);
    assertThat(orders.peakToday()).as("today's peak is kept per day in the store").isEqualTo(4_000);
    assertThat(restarted.indicator("trades").historicalPeak()).isZero();
  }

  @Test
  void indicatorsNoLongerDeclaredAreKeptInTheStoreNotLost() throws Exception {
    Path store = dir.resolve("capacity.json");
    Capacity capacity =
        capacity(CapacitySettings.builder().indicators("orders", "quotes").store(store));
    capacity.indicator("quotes").raiseHistoricalPeak(90_000);
    runtime.close();

    Capacity fewer = capacity(CapacitySettings.builder().indicators("orders").store(store));
    fewer.indicator("orders").recordTested(100, "smoke");
    runtime.close();

    Capacity again =
        capacity(CapacitySettings.builder().indicators("orders", "quotes").store(store));
    assertThat(again.indicator("quotes").historicalPeak()).isEqualTo(90_000.0);
    assertThat(again.indicator("orders").testedCapacity()).isEqualTo(100.0);
  }

  @Test
  void damagedStoresStopTheRuntimeWithTheDocumentedErrorAndAreLeftUntouched() throws Exception {
    Path store = dir.resolve("capacity.json");
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders").store(store));
    capacity.indicator("orders").raiseHistoricalPeak(1234.5);
    runtime.close();
    runtime = null;
    String good = Files.readString(store);

    assertDamaged(store, "", "the file is empty");
    assertDamaged(store, good.substring(0, good.length() / 2), "it is not valid JSON at line ");
    assertDamaged(
        store,
        good.replace("stability-capacity/2", "stability-capacity/9"),
        "field 'format' is 'stability-capacity/9', expected 'stability-capacity/2' (or the older"
            + " 'stability-capacity/1')");
    assertDamaged(store, good.replace("1234.5", "9234.5"), "checksum mismatch (stored ");
    assertDamaged(store, "[1,2]", "the top level is not a JSON object");
  }

  private void assertDamaged(Path store, String content, String problem) throws Exception {
    Files.writeString(store, content, StandardCharsets.UTF_8);
    CapturingSink damagedSink = new CapturingSink();
    assertThatThrownBy(
            () ->
                TestRuntimes.quiet("a1")
                    .clock(clock)
                    .eventSink(damagedSink)
                    .capacity(CapacitySettings.builder().indicators("orders").store(store).build())
                    .build())
        .isInstanceOf(CapacityStoreException.class)
        .hasMessageStartingWith("capacity store " + store + " is damaged: " + problem)
        .hasMessageEndingWith(
            "The historical peak was not reset to zero: repair the file or restore it from a"
                + " backup; delete it only to start a new history on purpose");
    assertThat(Files.readString(store)).as("the damaged file is left as it was").isEqualTo(content);
    assertThat(damagedSink.withCode("CAPACITY_STORE_DAMAGED")).hasSize(1);
  }

  @Test
  void storeWithANegativeOrMissingRateIsDamagedEvenWithAValidChecksum() throws Exception {
    // A writer outside the SDK could compute a valid checksum; the values are still validated.
    Path store = dir.resolve("capacity.json");
    String indicators = "{\"orders\":{\"historical_peak\":-5.0,\"tested\":0.0}}";
    CapacityFixtures.writeFormat1(store, indicators);
    assertThatThrownBy(() -> capacity(CapacitySettings.builder().indicators("orders").store(store)))
        .hasMessageContaining(
            "is damaged: indicator 'orders': field 'historical_peak' is -5.0, must be >= 0");
  }

  @Test
  void headroomEventsFireWhenCrossingTheThreeTimesBoundaryBothWays() throws Exception {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    orders.recordTested(300, "pressure test");
    second(clock, capacity, orders, 100); // peak 100, tested 300: exactly 3x is enough
    assertThat(orders.headroom()).isEqualTo(3.0);
    assertThat(test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW)).isEmpty();

    second(clock, capacity, orders, 101); // peak 101: 2.97x
    List<LogRecord> low = test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW);
    assertThat(low).hasSize(1);
    assertThat(low.get(0).message())
        .isEqualTo(
            "orders headroom 2.97x is below the required 3.00x: tested 300.0/s, historical peak"
                + " 101.0/s");
    assertThat(low.get(0).attrs())
        .containsEntry("indicator", "orders")
        .containsEntry("headroom", "2.97")
        .containsEntry("required", "3.00");
    second(clock, capacity, orders, 101); // still low: no second event
    assertThat(test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW)).hasSize(1);

    orders.recordTested(303, "pressure test after tuning");
    assertThat(test.delivered(StabilityEventCode.CAPACITY_HEADROOM_RESTORED))
        .singleElement()
        .satisfies(e -> assertThat(e.attrs()).containsEntry("headroom", "3.00"));
    assertThat(test.delivered(StabilityEventCode.CAPACITY_TESTED)).hasSize(2);
  }

  @Test
  void anUntestedIndicatorWithAPeakIsLowAndTheHealthCheckSaysSo() throws Exception {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    assertThat(orders.headroom()).isNaN();
    second(clock, capacity, orders, 2_000);
    assertThat(test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW).get(0).message())
        .isEqualTo(
            "orders has no tested capacity: a pressure test must sustain at least 6000.0/s (3.00x"
                + " the historical peak of 2000.0/s)");
    CheckResult check = runtime.health().check("capacity");
    assertThat(check.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(check.reason()).isEqualTo("no pressure test recorded for orders");

    orders.recordTested(5_000, "too small");
    clock.advance(Duration.ofSeconds(2));
    CheckResult degraded = runtime.health().check("capacity");
    assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(degraded.reason()).isEqualTo("headroom below 3.00x: orders 2.50x");
  }

  @Test
  void aTestedIndicatorWithoutAHistoricalPeakPassesWithoutClaimingAHeadroom() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders", "trades"));
    CapacityIndicator orders = capacity.indicator("orders");
    CapacityIndicator trades = capacity.indicator("trades");
    orders.recordTested(45_000, "pressure test");
    trades.recordTested(30_000, "pressure test");

    CheckResult none = runtime.health().check("capacity");
    assertThat(none.status()).isEqualTo(HealthStatus.UP);
    assertThat(none.reason())
        .isEqualTo(
            "no historical peak yet for orders, trades, so no headroom can be computed for them"
                + " (measured in trading, or seeded with raiseHistoricalPeak)");
    assertThat(none.details()).containsEntry("orders.headroom", "NaN");

    orders.raiseHistoricalPeak(10_000);
    clock.advance(Duration.ofSeconds(2));
    CheckResult one = runtime.health().check("capacity");
    assertThat(one.status()).isEqualTo(HealthStatus.UP);
    assertThat(one.reason())
        .isEqualTo(
            "headroom at least 3.00x for orders; no historical peak yet for trades, so no"
                + " headroom can be computed for it (measured in trading, or seeded with"
                + " raiseHistoricalPeak)");

    trades.raiseHistoricalPeak(10_500);
    clock.advance(Duration.ofSeconds(2));
    CheckResult low = runtime.health().check("capacity");
    assertThat(low.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(low.reason()).isEqualTo("headroom below 3.00x: trades 2.86x");
  }

  @Test
  void newHistoricalPeaksAreEventsAtMostOnceAMinutePerIndicator() throws Exception {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    orders.raiseHistoricalPeak(1_000);
    second(clock, capacity, orders, 1_500);
    second(clock, capacity, orders, 1_800);
    second(clock, capacity, orders, 1_900);
    List<LogRecord> peaks = test.delivered(StabilityEventCode.CAPACITY_PEAK_EXCEEDED);
    assertThat(peaks).hasSize(1);
    assertThat(peaks.get(0).message())
        .isEqualTo("orders reached a new historical peak of 1500.0/s (previous 1000.0/s)");

    clock.advance(Duration.ofSeconds(60));
    capacity.sample();
    peaks = test.delivered(StabilityEventCode.CAPACITY_PEAK_EXCEEDED);
    assertThat(peaks).hasSize(2);
    assertThat(peaks.get(1).message())
        .isEqualTo("orders reached a new historical peak of 1900.0/s (previous 1500.0/s)");
  }

  @Test
  void gaugesAndCounterPublishEveryFigure() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    orders.recordTested(9_000, "pt");
    second(clock, capacity, orders, 1_000);
    second(clock, capacity, orders, 2_000);
    assertThat(gauge("stability.capacity.rate")).isEqualTo(2_000.0);
    assertThat(gauge("stability.capacity.peak.historical")).isEqualTo(2_000.0);
    assertThat(gauge("stability.capacity.tested")).isEqualTo(9_000.0);
    assertThat(gauge("stability.capacity.headroom")).isEqualTo(4.5);
    assertThat(
            registry
                .get("stability.capacity.units")
                .tag("indicator", "orders")
                .functionCounter()
                .count())
        .isEqualTo(3_000.0);
  }

  private double gauge(String name) {
    return registry.get(name).tag("indicator", "orders").tag("instance", "a1").gauge().value();
  }

  @Test
  void concurrentRecordingFromSeveralThreadsLosesNoUnits() throws Exception {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    int threads = 4;
    int perThread = 1_000_000;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads + 1);
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                  orders.record();
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.await();
    // The sampler reads while the workers write; each one-second rate is that second's units.
    double sampled = 0;
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      capacity.sample();
      sampled += orders.rate();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    sampled += orders.rate();
    assertThat(orders.total()).isEqualTo((long) threads * perThread);
    assertThat(sampled)
        .as("the rates add up to every unit recorded")
        .isEqualTo(threads * perThread);
    assertThat(orders.historicalPeak()).isGreaterThan(0);
  }

  @Test
  void badInputNamesTheIndicatorAndTheValue() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    assertThatThrownBy(() -> orders.record(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity indicator 'orders': units must be >= 0, got -3");
    assertThatThrownBy(() -> orders.recordTested(Double.NaN, "pt"))
        .hasMessage(
            "capacity indicator 'orders': tested capacity must be a positive, finite rate per"
                + " second, got NaN");
    assertThatThrownBy(() -> orders.raiseHistoricalPeak(-1))
        .hasMessage(
            "capacity indicator 'orders': a historical peak must be a finite rate per second >= 0,"
                + " got -1.0");
    assertThatThrownBy(() -> capacity.indicator("order"))
        .hasMessage("no capacity indicator named 'order'; declared: [orders]");
    assertThat(orders.testedCapacity()).isZero();
    assertThat(orders.total()).isZero();
  }

  @Test
  void badSettingsAreRefusedWithKeyValueAndRule() {
    assertThatThrownBy(() -> CapacitySettings.builder().indicators("Orders").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "capacity.indicators = 'Orders': an indicator name must start with a lower case"
                + " letter, then letters, digits, '.', '_' or '-', 1-64 characters");
    assertThatThrownBy(() -> CapacitySettings.builder().indicators("orders", "orders").build())
        .hasMessage("capacity.indicators = 'orders': must be declared only once");
    assertThatThrownBy(() -> CapacitySettings.builder().requiredHeadroom(0.5).build())
        .hasMessage("capacity.required-headroom = 0.5: must be between 1.0 and 100.0");
  }

  @Test
  void anUnwritableStoreIsReportedOnceAndValuesStayInMemory() throws Exception {
    Path blocker = dir.resolve("state");
    Capacity capacity =
        capacity(
            CapacitySettings.builder().indicators("orders").store(blocker.resolve("cap.json")));
    Files.writeString(blocker, "a file where the store's directory should be");
    CapacityIndicator orders = capacity.indicator("orders");
    orders.recordTested(100, "pt");
    orders.recordTested(200, "pt");
    assertThat(orders.testedCapacity()).isEqualTo(200.0);
    assertThat(test.delivered(StabilityEventCode.CAPACITY_STORE_WRITE_FAILED)).hasSize(1);
    assertThat(orders.headroom()).isNaN();
    assertThat(orders.rate()).isCloseTo(0, within(0.0));
  }
}
