package dev.stability.core.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The window of a guard's latency percentiles. */
class LatencyWindowTest {

  private static final double SIXTEENTH_ABOVE = 17.0 / 16;
  private static final double[] QUANTILES = {0.0, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0};

  @Test
  void withoutCallsEveryPercentileIsNaN() {
    assertThat(new LatencyWindow(QUANTILES).percentileSeconds(0.99)).isNaN();
  }

  @Test
  void aCallStaysInTheWindowForSixWholeStepsAfterItsOwn() {
    LatencyWindow window = new LatencyWindow(QUANTILES);
    for (int i = 0; i < 1_000; i++) {
      window.record(5_000_000_000L); // 5 s each: an outage
    }
    window.rotate(); // the outage's step ends
    for (int step = 1; step <= LatencyWindow.STEPS; step++) {
      assertThat(window.percentileSeconds(0.5))
          .as("%d whole steps later the outage is still in the window", step - 1)
          .isGreaterThanOrEqualTo(5.0);
      window.record(1_000_000); // 1 ms
      window.rotate();
    }
    // Six whole steps (60 s) after the outage's step: it has left; the six 1 ms calls are in.
    assertThat(window.percentileSeconds(0.5)).isBetween(0.001, 0.001 * SIXTEENTH_ABOVE);
    assertThat(window.percentileSeconds(1.0)).isBetween(0.001, 0.001 * SIXTEENTH_ABOVE);
    for (int step = 1; step < LatencyWindow.STEPS; step++) {
      window.rotate();
      assertThat(window.percentileSeconds(0.5)).as("the last 1 ms call is still in it").isNotNaN();
    }
    window.rotate();
    assertThat(window.percentileSeconds(0.5)).as("no call in the window").isNaN();
  }

  @Test
  void theRankIsTheCeilingSoTheSlowestCallCountsAtTheHighestPercentiles() {
    LatencyWindow window = new LatencyWindow(QUANTILES);
    for (int i = 0; i < 999; i++) {
      window.record(1_000); // 1 µs
    }
    window.record(8_000_000); // one 8 ms call
    assertThat(window.percentileSeconds(0.999)).as("rank 999 of 1,000").isLessThan(0.000_002);
    assertThat(window.percentileSeconds(0.9999))
        .as("rank 1,000")
        .isBetween(0.008, 0.008 * SIXTEENTH_ABOVE);
    assertThat(window.percentileSeconds(0.0))
        .as("rank 1 at least")
        .isBetween(0.000_001, 0.000_001 * SIXTEENTH_ABOVE);
  }

  @Test
  void valuesBelowZeroAndBeyondTheRangeAreKeptInTheEndBuckets() {
    LatencyWindow window = new LatencyWindow(QUANTILES);
    window.record(-3);
    window.record(Long.MAX_VALUE);
    assertThat(window.percentileSeconds(0.5)).isZero();
    assertThat(window.percentileSeconds(1.0))
        .isEqualTo(LatencyWindow.highest(LatencyWindow.BUCKETS - 1) / 1e9);
  }

  @Test
  void aPercentileTheWindowWasNotMadeForIsRefused() {
    LatencyWindow window = new LatencyWindow(0.5, 0.99);
    assertThatThrownBy(() -> window.percentileSeconds(0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a percentile of this window: 0.95");
  }
}
