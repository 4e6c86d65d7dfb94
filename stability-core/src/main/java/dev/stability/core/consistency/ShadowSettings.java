package dev.stability.core.consistency;

import dev.stability.api.ConfigurationException;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A shadow comparison (R10): a candidate implementation run beside the control on a sampled share
 * of calls, off the caller's thread. Meant for functions of their input (a price check, a risk
 * rule, a fee calculation); stateful implementations are compared by replay instead. Immutable;
 * build with {@link #builder}.
 *
 * @param name the shadow's name, used as the {@code shadow} tag
 * @param control the implementation whose answer is returned, always
 * @param candidate the implementation under test; never run on the caller's thread
 * @param sampleRate the share of calls compared, 0 to 1
 * @param queueCapacity comparisons that may wait for the shadow thread; more are dropped and
 *     counted
 * @param equivalence when two answers count as equal (default {@code Objects.equals})
 * @param copyInput copies an input the caller may change after the call (default: none, inputs must
 *     be immutable)
 * @param <I> input type
 * @param <O> output type
 */
public record ShadowSettings<I, O>(
    String name,
    Function<? super I, ? extends O> control,
    Function<? super I, ? extends O> candidate,
    double sampleRate,
    int queueCapacity,
    BiPredicate<? super O, ? super O> equivalence,
    UnaryOperator<I> copyInput) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** Validates. */
  public ShadowSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "shadow.name",
          name,
          "must be lower case letters, digits, '.', '_' or '-', 1-64 characters");
    }
    if (control == null || candidate == null) {
      throw new ConfigurationException(
          "shadow." + name, null, "needs both a control and a candidate");
    }
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new ConfigurationException(
          "shadow." + name + ".sample-rate", sampleRate, "must be 0..1");
    }
    if (queueCapacity < 1 || queueCapacity > 1_000_000) {
      throw new ConfigurationException(
          "shadow." + name + ".queue-capacity", queueCapacity, "must be 1..1000000");
    }
    Objects.requireNonNull(equivalence, "equivalence");
    Objects.requireNonNull(copyInput, "copyInput");
  }

  /** Starts a shadow of {@code candidate} beside {@code control}. */
  public static <I, O> Builder<I, O> builder(
      String name,
      Function<? super I, ? extends O> control,
      Function<? super I, ? extends O> candidate) {
    return new Builder<>(name, control, candidate);
  }

  /**
   * Builds a {@link ShadowSettings}; defaults: every call sampled, 1024 queued, equals, no copy.
   */
  public static final class Builder<I, O> {
    private final String name;
    private final Function<? super I, ? extends O> control;
    private final Function<? super I, ? extends O> candidate;
    private double sampleRate = 1.0;
    private int queueCapacity = 1024;
    private BiPredicate<? super O, ? super O> equivalence = Objects::equals;
    private UnaryOperator<I> copyInput = UnaryOperator.identity();

    private Builder(
        String name,
        Function<? super I, ? extends O> control,
        Function<? super I, ? extends O> candidate) {
      this.name = name;
      this.control = control;
      this.candidate = candidate;
    }

    /** Share of calls compared, 0..1. */
    public Builder<I, O> sampleRate(double value) {
      this.sampleRate = value;
      return this;
    }

    /** How many comparisons may wait. */
    public Builder<I, O> queueCapacity(int value) {
      this.queueCapacity = value;
      return this;
    }

    /** When two answers are equal. */
    public Builder<I, O> equivalence(BiPredicate<? super O, ? super O> value) {
      this.equivalence = value;
      return this;
    }

    /** How to copy an input the caller may change after the call. */
    public Builder<I, O> copyInput(UnaryOperator<I> value) {
      this.copyInput = value;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws ConfigurationException naming the first bad setting
     */
    public ShadowSettings<I, O> build() {
      return new ShadowSettings<>(
          name, control, candidate, sampleRate, queueCapacity, equivalence, copyInput);
    }
  }
}
