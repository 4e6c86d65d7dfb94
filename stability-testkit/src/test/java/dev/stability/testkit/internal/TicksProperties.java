package dev.stability.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.assertj.core.data.Offset;

/**
 * The tick math of the charts, over random ranges: ticks cover the range, are whole multiples of a
 * 1, 2 or 5 times a power of ten step (log ticks: are such values themselves), go up, and are few.
 */
class TicksProperties {

  @Property(tries = 500)
  void linearTicksCoverTheRangeInEqualOneTwoFiveStepsGoingUp(
      @ForAll @DoubleRange(min = -1e9, max = 1e9) double a,
      @ForAll @DoubleRange(min = -1e9, max = 1e9) double b,
      @ForAll @IntRange(min = 1, max = 12) int target) {
    double min = Math.min(a, b);
    double max = Math.max(a, b);
    double[] ticks = Ticks.linear(min, max, target);

    assertThat(ticks.length).isBetween(2, target + 3);
    assertThat(ticks[0]).isLessThanOrEqualTo(min);
    assertThat(ticks[ticks.length - 1]).isGreaterThanOrEqualTo(max);
    double step = Ticks.linearStep(min, max, target);
    assertThat(isOneTwoFive(step)).as("step %s", step).isTrue();
    for (int i = 1; i < ticks.length; i++) {
      assertThat(ticks[i]).isGreaterThan(ticks[i - 1]);
      assertThat(ticks[i] - ticks[i - 1]).isCloseTo(step, Offset.offset(step * 1e-3));
    }
    BigDecimal decimalStep = decimal(step);
    for (double tick : ticks) {
      assertThat(decimal(tick).remainder(decimalStep).signum())
          .as("%s is a whole multiple of %s", tick, step)
          .isZero();
    }
  }

  @Property(tries = 500)
  void aNiceStepIsTheSmallestOneTwoFiveValueAtLeastTheRoughStep(
      @ForAll @DoubleRange(min = -12, max = 12) @Scale(6) double exponent) {
    double rough = Math.pow(10, exponent);
    double step = Ticks.niceStep(rough);

    assertThat(step).isGreaterThanOrEqualTo(rough);
    assertThat(isOneTwoFive(step)).as("%s", step).isTrue();
    // The next smaller 1-2-5 value (5 -> 2, 2 -> 1, 1 -> 0.5) is below the rough step.
    double mantissa = mantissa(step);
    double smaller = mantissa == 1 ? step / 2 : mantissa == 2 ? step / 2 : step * 2 / 5;
    assertThat(smaller).isLessThan(rough);
  }

  @Property(tries = 500)
  void logTicksCoverTheRangeWithOneTwoFiveValuesGoingUp(
      @ForAll @DoubleRange(min = -6, max = 9) @Scale(6) double a,
      @ForAll @DoubleRange(min = -6, max = 9) @Scale(6) double b) {
    double min = Math.pow(10, Math.min(a, b));
    double max = Math.pow(10, Math.max(a, b));
    double[] ticks = Ticks.log(min, max);

    assertThat(ticks.length).isGreaterThanOrEqualTo(2);
    assertThat(ticks[0]).isLessThanOrEqualTo(min);
    assertThat(ticks[ticks.length - 1]).isGreaterThanOrEqualTo(max);
    for (int i = 0; i < ticks.length; i++) {
      assertThat(isOneTwoFive(ticks[i])).as("%s", ticks[i]).isTrue();
      if (i > 0) {
        assertThat(ticks[i]).isGreaterThan(ticks[i - 1]);
      }
    }
    // Tight: no tick more than needed at either end.
    if (ticks.length > 2) {
      assertThat(ticks[1]).isGreaterThan(min);
      assertThat(ticks[ticks.length - 2]).isLessThan(max);
    }
  }

  @Property(tries = 500)
  void theNinesAxisGrowsWithThePercentileAndPutsEachNineOneApart(
      @ForAll @DoubleRange(min = 0, max = 99.9999) @Scale(6) double p,
      @ForAll @DoubleRange(min = 0, max = 99.9999) @Scale(6) double q) {
    Assume.that(p < q);
    assertThat(Ticks.nines(p)).isLessThan(Ticks.nines(q));
    assertThat(Ticks.nines(p)).isFinite().isGreaterThanOrEqualTo(0);
  }

  @Property(tries = 500)
  void labelsAreShortAndFinite(@ForAll @DoubleRange(min = -1e9, max = 1e9) double a) {
    double[] ticks = Ticks.linear(Math.min(0, a), Math.max(0, a), 5);
    for (String label : Ticks.labels(ticks)) {
      assertThat(label).doesNotContain("E").doesNotContain("NaN").doesNotContain("Infinity");
      assertThat(label.length()).isLessThanOrEqualTo(8);
    }
  }

  /** Whether {@code value} is 1, 2 or 5 times a power of ten (to double precision). */
  static boolean isOneTwoFive(double value) {
    double mantissa = mantissa(value);
    return Math.abs(mantissa - 1) < 1e-9
        || Math.abs(mantissa - 2) < 1e-9
        || Math.abs(mantissa - 5) < 1e-9;
  }

  private static double mantissa(double value) {
    BigDecimal decimal = decimal(value);
    return decimal.movePointLeft(decimal.precision() - decimal.scale() - 1).doubleValue();
  }

  /** The decimal a double stands for, to 15 significant digits. */
  private static BigDecimal decimal(double value) {
    return new BigDecimal(value).round(new MathContext(15)).stripTrailingZeros();
  }
}
