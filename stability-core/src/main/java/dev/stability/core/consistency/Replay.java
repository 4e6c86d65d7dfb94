package dev.stability.core.consistency;

import dev.stability.api.consistency.DigestValue;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Replay comparison (R10): feeds a recorded stream of inputs through two implementations, compares
 * their outputs step by step and their digests every N inputs, and reports the first divergence
 * with the input, both outputs and the sequence. It can stop there or go on counting. Memory stays
 * bounded whatever the stream's length: only counters and the first divergence are kept. An
 * exception is an output: two implementations that throw the same exception type agree.
 *
 * <pre>{@code
 * ReplayReport report = Replay.of("orders-2026-11-28", primary::apply, standby::apply)
 *     .digests(primary::digest, standby::digest, 10_000)
 *     .build()
 *     .run(journal.inputs());
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class Replay<I, O> {

  private final String name;
  private final Function<? super I, ? extends O> first;
  private final Function<? super I, ? extends O> second;
  private final Supplier<DigestValue> firstDigest;
  private final Supplier<DigestValue> secondDigest;
  private final long digestEvery;
  private final BiPredicate<? super O, ? super O> equivalence;
  private final boolean stopAtFirst;

  private Replay(Builder<I, O> builder) {
    this.name = builder.name;
    this.first = builder.first;
    this.second = builder.second;
    this.firstDigest = builder.firstDigest;
    this.secondDigest = builder.secondDigest;
    this.digestEvery = builder.digestEvery;
    this.equivalence = builder.equivalence;
    this.stopAtFirst = builder.stopAtFirst;
  }

  /** Starts a replay of two implementations. */
  public static <I, O> Builder<I, O> of(
      String name,
      Function<? super I, ? extends O> first,
      Function<? super I, ? extends O> second) {
    return new Builder<>(name, first, second);
  }

  /** The replay's name. */
  public String name() {
    return name;
  }

  /** Feeds every input through both implementations, on the calling thread. */
  public ReplayReport run(Iterator<? extends I> inputs) {
    long start = System.nanoTime();
    long sequence = 0;
    long divergences = 0;
    long checkpoints = 0;
    ReplayReport.Divergence firstDivergence = null;
    long firstDigestDivergence = -1;
    while (inputs.hasNext()) {
      I input = inputs.next();
      sequence++;
      Object a;
      Object b;
      try {
        a = first.apply(input);
      } catch (RuntimeException e) {
        a = new Thrown(e);
      }
      try {
        b = second.apply(input);
      } catch (RuntimeException e) {
        b = new Thrown(e);
      }
      if (!agree(a, b)) {
        divergences++;
        if (firstDivergence == null) {
          firstDivergence =
              new ReplayReport.Divergence(
                  sequence, String.valueOf(input), String.valueOf(a), String.valueOf(b));
        }
        if (stopAtFirst) {
          break;
        }
      }
      if (digestEvery > 0 && sequence % digestEvery == 0) {
        checkpoints++;
        if (!firstDigest.get().equals(secondDigest.get()) && firstDigestDivergence < 0) {
          firstDigestDivergence = sequence;
          if (stopAtFirst) {
            break;
          }
        }
      }
    }
    if (digestEvery > 0 && sequence % digestEvery != 0 && firstDigestDivergence < 0) {
      checkpoints++; // the final state is compared too
      if (!firstDigest.get().equals(secondDigest.get())) {
        firstDigestDivergence = sequence;
      }
    }
    return new ReplayReport(
        name,
        sequence,
        divergences,
        Optional.ofNullable(firstDivergence),
        firstDigestDivergence < 0 ? OptionalLong.empty() : OptionalLong.of(firstDigestDivergence),
        checkpoints,
        Duration.ofNanos(System.nanoTime() - start));
  }

  @SuppressWarnings("unchecked")
  private boolean agree(Object a, Object b) {
    if (a instanceof Thrown || b instanceof Thrown) {
      return a instanceof Thrown x && b instanceof Thrown y && x.type().equals(y.type());
    }
    return equivalence.test((O) a, (O) b);
  }

  /** An exception as an output: compared by type. */
  private record Thrown(RuntimeException error) {
    String type() {
      return error.getClass().getName();
    }

    @Override
    public String toString() {
      return "threw " + error;
    }
  }

  /** Builds a {@link Replay}. */
  public static final class Builder<I, O> {
    private final String name;
    private final Function<? super I, ? extends O> first;
    private final Function<? super I, ? extends O> second;
    private Supplier<DigestValue> firstDigest;
    private Supplier<DigestValue> secondDigest;
    private long digestEvery;
    private BiPredicate<? super O, ? super O> equivalence = Objects::equals;
    private boolean stopAtFirst = true;

    private Builder(
        String name,
        Function<? super I, ? extends O> first,
        Function<? super I, ? extends O> second) {
      this.name = Objects.requireNonNull(name, "name");
      this.first = Objects.requireNonNull(first, "first");
      this.second = Objects.requireNonNull(second, "second");
    }

    /** Compares the two sides' digests every {@code every} inputs and at the end. */
    public Builder<I, O> digests(
        Supplier<DigestValue> first, Supplier<DigestValue> second, long every) {
      if (every < 1) {
        throw new IllegalArgumentException(
            "replay " + name + ": digest interval must be >= 1, got " + every);
      }
      this.firstDigest = Objects.requireNonNull(first, "first digest");
      this.secondDigest = Objects.requireNonNull(second, "second digest");
      this.digestEvery = every;
      return this;
    }

    /** When two outputs count as equal (default {@code Objects.equals}). */
    public Builder<I, O> equivalence(BiPredicate<? super O, ? super O> value) {
      this.equivalence = Objects.requireNonNull(value, "equivalence");
      return this;
    }

    /** Whether to stop at the first divergence (default) or go on counting them. */
    public Builder<I, O> stopAtFirstDivergence(boolean value) {
      this.stopAtFirst = value;
      return this;
    }

    /** Builds the replay. */
    public Replay<I, O> build() {
      return new Replay<>(this);
    }
  }
}
