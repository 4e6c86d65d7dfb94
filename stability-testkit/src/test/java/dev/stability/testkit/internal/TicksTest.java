package dev.stability.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The tick values and labels a reader sees, for ranges charts meet. */
class TicksTest {

  @Test
  void linearTicksAreRoundNumbers() {
    assertThat(Ticks.linear(0, 9_130, 6)).containsExactly(0, 2_000, 4_000, 6_000, 8_000, 10_000);
    assertThat(Ticks.linear(0.013, 0.27, 5)).containsExactly(0, 0.1, 0.2, 0.3);
    assertThat(Ticks.labels(Ticks.linear(0.013, 0.27, 5)))
        .containsExactly("0", "0.1", "0.2", "0.3");
    assertThat(Ticks.labels(Ticks.linear(0, 42_000, 5)))
        .containsExactly("0", "10k", "20k", "30k", "40k", "50k");
    assertThat(Ticks.labels(new double[] {0, 2.5e7})).containsExactly("0", "25M");
  }

  @Test
  void aRangeOfOneValueGetsTicksAroundIt() {
    assertThat(Ticks.linear(5, 5, 5)).contains(5.0).hasSizeGreaterThanOrEqualTo(2);
    assertThat(Ticks.linear(0, 0, 5)).containsExactly(0, 0.2);
  }

  @Test
  void logTicksAreDecadesOrOneTwoFiveWithinTwoDecades() {
    assertThat(Ticks.log(0.03, 250)).containsExactly(0.01, 0.1, 1, 10, 100, 1_000);
    assertThat(Ticks.log(0.3, 25)).containsExactly(0.2, 0.5, 1, 2, 5, 10, 20, 50);
    assertThat(Ticks.log(1, 1)).containsExactly(1, 2);
  }

  @Test
  void theNinesAreLabelledAsHdrHistogramsPlotterDoes() {
    assertThat(Ticks.nines(0)).isEqualTo(0);
    assertThat(Ticks.nines(90)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(Ticks.nines(99.9)).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Ticks.ninesLabel(0)).isEqualTo("0%");
    assertThat(Ticks.ninesLabel(1)).isEqualTo("90%");
    assertThat(Ticks.ninesLabel(2)).isEqualTo("99%");
    assertThat(Ticks.ninesLabel(5)).isEqualTo("99.999%");
  }

  @Test
  void valuesAxesCannotShowAreRefused() {
    assertThatThrownBy(() -> Ticks.linear(Double.NaN, 1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Ticks.linear(2, 1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ticks.log(0, 10)).hasMessageContaining("0 < min");
    assertThatThrownBy(() -> Ticks.nines(100)).hasMessageContaining("[0, 100)");
    assertThatThrownBy(() -> Ticks.niceStep(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
