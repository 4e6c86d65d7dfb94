package dev.stability.testkit.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The tick values of a chart axis: "nice" numbers, multiples of 1, 2 or 5 times a power of ten,
 * that cover the data's range; for a log axis the 1-2-5 values of each decade; for a percentile
 * axis the "nines" (0%, 90%, 99%, 99.9%, ...) at x = -log10(1 - p), as HdrHistogram's plotter draws
 * them. Not API: the test kit's reports use it.
 */
public final class Ticks {

  private static final int[] MANTISSAS = {1, 2, 5};

  private Ticks() {}

  /**
   * The smallest 1, 2 or 5 times a power of ten that is at least {@code rough}.
   *
   * @throws IllegalArgumentException unless {@code rough} is finite and positive
   */
  public static double niceStep(double rough) {
    if (!(rough > 0) || Double.isInfinite(rough)) {
      throw new IllegalArgumentException("a tick step must be finite and > 0, got " + rough);
    }
    int exponent = (int) Math.floor(Math.log10(rough));
    for (int e = exponent - 1; e <= exponent + 1; e++) {
      for (int m : MANTISSAS) {
        double step = decimal(m, e);
        if (step >= rough) {
          return step;
        }
      }
    }
    return decimal(1, exponent + 2);
  }

  /**
   * The step of {@link #linear}: the {@link #niceStep} for the range divided into {@code target}
   * intervals (a range of one value counts as a fifth of that value, or 1 around 0).
   *
   * @throws IllegalArgumentException for a bound that is not finite, {@code min > max} or a target
   *     below 1
   */
  public static double linearStep(double min, double max, int target) {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max || target < 1) {
      throw new IllegalArgumentException(
          "linear ticks need finite min <= max and a target >= 1, got ["
              + min
              + ", "
              + max
              + "] and "
              + target);
    }
    double magnitude = Math.max(Math.abs(min), Math.abs(max));
    double span = max - min;
    if (span <= magnitude * 1e-9) {
      span = magnitude == 0 ? 1 : magnitude * 0.2; // one value: a little either side of it
    }
    return niceStep(span / target);
  }

  /**
   * Linear ticks covering {@code [min, max]}: every one a whole multiple of one {@link #niceStep}
   * step, about {@code target} intervals, the first at or below {@code min}, the last at or above
   * {@code max}; at most {@code target + 3} values. A range of one value gets a step around it.
   *
   * @throws IllegalArgumentException for a bound that is not finite, {@code min > max} or a target
   *     below 1
   */
  public static double[] linear(double min, double max, int target) {
    double step = linearStep(min, max, target);
    long first = (long) Math.floor(min / step);
    long last = (long) Math.ceil(max / step);
    if (last == first) {
      last++;
    }
    // The step is m x 10^e; k x m / 10^-e is the double nearest the decimal tick, k x step is not.
    int exponent = (int) Math.round(Math.floor(Math.log10(step)));
    long mantissa = Math.round(step / Math.pow(10, exponent));
    double[] ticks = new double[(int) (last - first + 1)];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = decimal((first + i) * mantissa, exponent);
    }
    return ticks;
  }

  /**
   * Log ticks covering {@code [min, max]}, both above 0: the powers of ten, and also 2 and 5 times
   * them when the range spans at most two decades; from the largest such value at or below {@code
   * min} to the smallest at or above {@code max}, at least two values.
   *
   * @throws IllegalArgumentException for a bound that is not finite and positive, or {@code min >
   *     max}
   */
  public static double[] log(double min, double max) {
    if (!(min > 0) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          "log ticks need finite 0 < min <= max, got [" + min + ", " + max + "]");
    }
    int low = (int) Math.floor(Math.log10(min));
    int high = (int) Math.ceil(Math.log10(max));
    if (high == low) {
      high++;
    }
    boolean fine = Math.log10(max / min) <= 2;
    List<Double> all = new ArrayList<>();
    for (int e = low; e <= high; e++) {
      for (int m : MANTISSAS) {
        if (m == 1 || (fine && e < high)) {
          all.add(decimal(m, e));
        }
      }
    }
    int from = 0;
    while (from + 1 < all.size() && all.get(from + 1) <= min) {
      from++;
    }
    int to = all.size() - 1;
    while (to - 1 > from && all.get(to - 1) >= max) {
      to--;
    }
    double[] ticks = new double[to - from + 1];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = all.get(from + i);
    }
    return ticks;
  }

  /**
   * Where a percentile sits on a "nines" axis: {@code -log10(1 - p/100)}, so 0% is 0, 90% is 1, 99%
   * is 2, 99.9% is 3.
   *
   * @throws IllegalArgumentException for a percentile outside {@code [0, 100)}
   */
  public static double nines(double percentile) {
    if (!(percentile >= 0 && percentile < 100)) {
      throw new IllegalArgumentException(
          "a percentile on a nines axis must be in [0, 100), got " + percentile);
    }
    return -Math.log10(1 - percentile / 100);
  }

  /** The label of the tick at {@code nines} 0, 1, 2, 3...: 0%, 90%, 99%, 99.9%, 99.99%... */
  public static String ninesLabel(int nines) {
    if (nines < 0) {
      throw new IllegalArgumentException("nines must be >= 0, got " + nines);
    }
    if (nines == 0) {
      return "0%";
    }
    if (nines == 1) {
      return "90%";
    }
    return "99" + (nines == 2 ? "" : "." + "9".repeat(nines - 2)) + "%";
  }

  /**
   * The labels of {@code ticks}, shortest decimal form; when the largest is at least 10,000 all of
   * them in thousands ({@code 20k}), at least 10,000,000 in millions ({@code 20M}).
   */
  public static List<String> labels(double[] ticks) {
    double largest = 0;
    for (double tick : ticks) {
      largest = Math.max(largest, Math.abs(tick));
    }
    double divisor = largest >= 1e7 ? 1e6 : largest >= 1e4 ? 1e3 : 1;
    String suffix = largest >= 1e7 ? "M" : largest >= 1e4 ? "k" : "";
    List<String> labels = new ArrayList<>(ticks.length);
    for (double tick : ticks) {
      labels.add(tick == 0 ? "0" : number(tick / divisor) + suffix);
    }
    return labels;
  }

  /** A number in its shortest plain decimal form, to 10 significant digits ({@code 0.05}). */
  public static String number(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }

  /** {@code m x 10^e}, as the double nearest that decimal. */
  private static double decimal(long m, int e) {
    return e >= 0 ? m * Math.pow(10, e) : m / Math.pow(10, -e);
  }
}
