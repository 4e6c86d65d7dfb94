package dev.stability.core.capacity;

import static dev.stability.core.capacity.CapacityFixtures.second;
import static dev.stability.core.capacity.CapacityFixtures.writeFormat1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.fixtures.RuntimeUnderTest;
import dev.stability.core.health.CheckResult;
import dev.stability.core.operations.TradingCalendar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * R1 in full: a multiple per indicator, the peak over a rolling window of trading days, peaks only
 * inside sessions, provisioned capacity, and the old store format read and migrated.
 */
class CapacityWindowTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  // Monday 2026-11-30 10:00 in Shanghai: inside the equities morning session.
  private ManualClock clock = ManualClock.at(Instant.parse("2026-11-30T02:00:00Z"), SHANGHAI);
  @TempDir Path dir;
  @RegisterExtension final RuntimeUnderTest test = new RuntimeUnderTest();
  private StabilityRuntime runtime;

  private Capacity capacity(CapacitySettings.Builder settings) {
    runtime = test.start(b -> b.clock(clock).capacity(settings.build()));
    return runtime.capacity();
  }

  /** Moves the clock by {@code duration} and takes the sample that notices the new day. */
  private void after(Capacity capacity, Duration duration) {
    clock.advance(duration);
    capacity.sample();
  }

  @Test
  void eachIndicatorIsHeldToItsOwnMultipleAndTheOthersToTheDefault() throws Exception {
    Capacity capacity =
        capacity(
            CapacitySettings.builder()
                .indicators("orders", "trades", "bandwidth")
                .requiredMultiple("bandwidth", 2));
    CapacityIndicator orders = capacity.indicator("orders");
    CapacityIndicator trades = capacity.indicator("trades");
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");
    assertThat(orders.requiredMultiple()).isEqualTo(3.0);
    assertThat(trades.requiredMultiple()).isEqualTo(3.0);
    assertThat(bandwidth.requiredMultiple()).isEqualTo(2.0);

    orders.recordTested(2_500, "pt");
    trades.recordTested(9_000, "pt");
    bandwidth.recordTested(2_500_000, "link test");
    orders.record(1_000);
    trades.record(1_000);
    second(clock, capacity, bandwidth, 1_000_000); // every indicator at 2.5x its peak, or 9x

    assertThat(orders.headroom()).isEqualTo(2.5);
    assertThat(bandwidth.headroom()).isEqualTo(2.5);
    List<LogRecord> low = test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW);
    assertThat(low).extracting(e -> e.attrs().get("indicator")).containsExactly("orders");
    assertThat(low.get(0).attrs())
        .containsEntry("required", "3.00")
        .containsEntry("basis", "tested");
    CheckResult check = runtime.health().check("capacity");
    assertThat(check.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(check.reason()).isEqualTo("headroom below 3.00x: orders 2.50x");

    orders.recordTested(3_000, "pt after tuning");
    clock.advance(Duration.ofSeconds(2));
    CheckResult up = runtime.health().check("capacity");
    assertThat(up.status()).isEqualTo(HealthStatus.UP);
    assertThat(up.reason())
        .isEqualTo(
            "headroom at least the required multiple (orders 3.00x, trades 3.00x, bandwidth"
                + " 2.00x) everywhere");
    assertThat(up.details())
        .containsEntry("bandwidth.required", "2.00")
        .containsEntry("bandwidth.headroom", "2.50");
  }

  @Test
  void aPeakOlderThanTheWindowAgesOutAndLeavesTheStore() throws Exception {
    Path store = dir.resolve("capacity.json");
    Capacity capacity =
        capacity(
            CapacitySettings.builder()
                .indicators("orders")
                .peakWindow(Period.ofDays(30))
                .store(store));
    CapacityIndicator orders = capacity.indicator("orders");
    LocalDate monday = LocalDate.parse("2026-11-30");
    assertThat(capacity.tradingDay()).isEqualTo(monday);
    orders.raiseHistoricalPeak(9_000, monday.minusDays(29)); // the oldest day still in the window
    orders.raiseHistoricalPeak(50_000, monday.minusDays(30)); // already outside: ignored
    second(clock, capacity, orders, 4_000);
    assertThat(orders.historicalPeak()).isEqualTo(9_000.0);
    assertThat(orders.peakToday()).isEqualTo(4_000.0);
    runtime.close();
    assertThat(Files.readString(store)).contains("2026-11-01").doesNotContain("2026-10-31");

    capacity =
        capacity(
            CapacitySettings.builder()
                .indicators("orders")
                .peakWindow(Period.ofDays(30))
                .store(store));
    orders = capacity.indicator("orders");
    assertThat(orders.historicalPeak()).isEqualTo(9_000.0);
    after(capacity, Duration.ofDays(1)); // 2026-11-01 leaves the window
    assertThat(capacity.tradingDay()).isEqualTo(monday.plusDays(1));
    assertThat(orders.historicalPeak()).isEqualTo(4_000.0);
    assertThat(orders.peakToday()).isZero();
    runtime.close();
    assertThat(Files.readString(store)).doesNotContain("2026-11-01").contains("2026-11-30");
  }

  @Test
  void aDeclaredPeakOfADayAfterTodayIsRefused() {
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders"));
    CapacityIndicator orders = capacity.indicator("orders");
    assertThatThrownBy(() -> orders.raiseHistoricalPeak(1_000, LocalDate.parse("2026-12-01")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "capacity indicator 'orders': a peak can be declared for a trading day up to today"
                + " (2026-11-30), got 2026-12-01");
    assertThat(orders.historicalPeak()).isZero();
  }

  @Test
  void withACalendarOnlySecondsInsideASessionSetPeaks() {
    Capacity capacity =
        capacity(
            CapacitySettings.builder()
                .indicators("orders")
                .calendar(TradingCalendar.chinaEquities().build()));
    CapacityIndicator orders = capacity.indicator("orders");
    second(clock, capacity, orders, 3_000); // 10:00:01, morning session
    clock.advance(Duration.ofHours(1).plusMinutes(40)); // 11:40, the midday break
    capacity.sample();
    second(clock, capacity, orders, 20_000); // a batch job in the break: measured, not a peak
    assertThat(orders.rate()).isEqualTo(20_000.0);
    assertThat(orders.peakToday()).isEqualTo(3_000.0);
    assertThat(orders.historicalPeak()).isEqualTo(3_000.0);

    clock.advance(Duration.ofHours(12)); // Monday 23:40: still Monday's trading day
    capacity.sample();
    second(clock, capacity, orders, 30_000);
    assertThat(capacity.tradingDay()).isEqualTo(LocalDate.parse("2026-11-30"));
    assertThat(orders.historicalPeak()).isEqualTo(3_000.0);
  }

  @Test
  void aNightSessionCountsTowardTheNextTradingDay() {
    TradingCalendar futures =
        TradingCalendar.builder()
            .session("day", "09:00", "15:00")
            .session("night", "21:00", "02:30")
            .build();
    // Friday 2026-12-04 at 21:30 in Shanghai: the night session of Monday's trading day.
    clock = ManualClock.at(Instant.parse("2026-12-04T13:30:00Z"), SHANGHAI);
    Capacity capacity = capacity(CapacitySettings.builder().indicators("orders").calendar(futures));
    CapacityIndicator orders = capacity.indicator("orders");
    assertThat(capacity.tradingDay()).isEqualTo(LocalDate.parse("2026-12-07"));
    second(clock, capacity, orders, 7_000);
    assertThat(orders.peakToday()).isEqualTo(7_000.0);

    clock.advance(Duration.ofDays(2).plusHours(13)); // Monday 10:30, the same trading day
    capacity.sample();
    second(clock, capacity, orders, 5_000);
    assertThat(capacity.tradingDay()).isEqualTo(LocalDate.parse("2026-12-07"));
    assertThat(orders.peakToday()).isEqualTo(7_000.0);

    clock.advance(Duration.ofHours(11)); // Monday 21:30: Tuesday's night session
    capacity.sample();
    assertThat(capacity.tradingDay()).isEqualTo(LocalDate.parse("2026-12-08"));
    assertThat(orders.peakToday()).isZero();
    assertThat(orders.historicalPeak()).isEqualTo(7_000.0);
  }

  @Test
  void provisionedCapacityIsUsedUntilAPressureTestRecordsOneAndTheBasisIsNamed() throws Exception {
    Capacity capacity =
        capacity(
            CapacitySettings.builder()
                .indicators("bandwidth")
                .requiredMultiple("bandwidth", 2)
                .provisionedCapacity("bandwidth", 1_000_000));
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");
    assertThat(bandwidth.capacityBasis()).isEqualTo(CapacityBasis.PROVISIONED);
    for (int message = 0; message < 1_000; message++) {
      bandwidth.record(600); // the application counts the bytes of each message it sends
    }
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();

    assertThat(bandwidth.rate()).isEqualTo(600_000.0);
    assertThat(bandwidth.capacity()).isEqualTo(1_000_000.0);
    assertThat(bandwidth.headroom()).isCloseTo(1.6667, within(1e-3));
    LogRecord low = test.delivered(StabilityEventCode.CAPACITY_HEADROOM_LOW).get(0);
    assertThat(low.message())
        .isEqualTo(
            "bandwidth headroom 1.67x is below the required 2.00x: provisioned 1000000.0/s,"
                + " historical peak 600000.0/s");
    assertThat(low.attrs())
        .containsEntry("basis", "provisioned")
        .containsEntry("capacity", "1000000.00");
    CheckResult check = runtime.health().check("capacity");
    assertThat(check.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(check.reason())
        .isEqualTo("headroom below 2.00x: bandwidth 1.67x; bandwidth against provisioned capacity");
    assertThat(check.details()).containsEntry("bandwidth.basis", "provisioned");

    bandwidth.recordTested(1_500_000, "link test 2026-11-28");
    assertThat(bandwidth.capacityBasis()).isEqualTo(CapacityBasis.TESTED);
    assertThat(bandwidth.headroom()).isEqualTo(2.5);
    assertThat(test.delivered(StabilityEventCode.CAPACITY_HEADROOM_RESTORED).get(0).message())
        .isEqualTo(
            "bandwidth headroom 2.50x is back at or above the required 2.00x (tested capacity"
                + " 1500000.0/s)");
  }

  @Test
  void aStoreInTheOldFormatIsReadAndRewrittenInTheNewOne() throws Exception {
    Path store = dir.resolve("capacity.json");
    String indicators =
        "{\"orders\":{\"historical_peak\":12000.0,\"peak_at\":\"2026-06-15T02:00:00Z\","
            + "\"tested\":40000.0,\"tested_at\":\"2026-11-28T08:00:00Z\","
            + "\"tested_source\":\"pressure test\"},"
            + "\"trades\":{\"historical_peak\":30000.0,\"peak_at\":\"2025-06-15T02:00:00Z\","
            + "\"tested\":0.0,\"tested_at\":null,\"tested_source\":null}}";
    writeFormat1(store, indicators);

    Capacity capacity =
        capacity(CapacitySettings.builder().indicators("orders", "trades").store(store));
    CapacityIndicator orders = capacity.indicator("orders");
    assertThat(orders.historicalPeak()).isEqualTo(12_000.0);
    assertThat(orders.testedCapacity()).isEqualTo(40_000.0);
    assertThat(orders.headroom()).isCloseTo(3.333, within(1e-3));
    assertThat(capacity.indicator("trades").historicalPeak())
        .as("a peak of June 2025 is older than 12 months")
        .isZero();
    String migrated = Files.readString(store);
    assertThat(migrated)
        .contains("\"format\" : \"stability-capacity/2\"")
        .contains("\"2026-06-15\"")
        .doesNotContain("historical_peak")
        .doesNotContain("2025-06-15");

    capacity = capacity(CapacitySettings.builder().indicators("orders", "trades").store(store));
    assertThat(capacity.indicator("orders").historicalPeak()).isEqualTo(12_000.0);
    assertThat(capacity.indicator("orders").testedCapacity()).isEqualTo(40_000.0);
  }

  @Test
  void aDamagedDayInTheNewFormatIsReportedNotDropped() throws Exception {
    Path store = dir.resolve("capacity.json");
    String indicators =
        "{\"orders\":{\"days\":{\"2026-13-01\":{\"peak\":5.0,\"at\":null}},\"tested\":0.0}}";
    CRC32C crc = new CRC32C();
    crc.update(indicators.getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        store,
        "{\"format\":\"stability-capacity/2\",\"indicators\":"
            + indicators
            + ",\"crc32c\":\""
            + String.format("%08x", crc.getValue())
            + "\"}");
    assertThatThrownBy(() -> capacity(CapacitySettings.builder().indicators("orders").store(store)))
        .isInstanceOf(CapacityStoreException.class)
        .hasMessageContaining(
            "is damaged: indicator 'orders': day '2026-13-01' is not an ISO date");
  }

  @Test
  void badSettingsNameKeyValueAndRule() {
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("bandwidth")
                    .requiredMultiple("bandwidth", -2)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("capacity.required-multiples.bandwidth = -2.0: must be between 1.0 and 100.0");
    assertThatThrownBy(
            () -> CapacitySettings.builder().indicators("orders").peakWindow(Period.ZERO).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("capacity.peak-window = P0D: must be a positive period of at most 10 years");
    assertThatThrownBy(() -> CapacitySettings.builder().peakWindow(Period.ofYears(11)).build())
        .hasMessage("capacity.peak-window = P11Y: must be a positive period of at most 10 years");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("bandwidth")
                    .provisionedCapacity("bandwidth", Double.NaN)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "capacity.provisioned.bandwidth = NaN: must be a positive, finite rate in units per"
                + " second");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("orders")
                    .requiredMultiple("trades", 3)
                    .build())
        .hasMessage(
            "capacity.required-multiples.trades = 3.0: is not a declared indicator; declared:"
                + " [orders]");
  }
}
