package dev.stability.testkit.fault;

import dev.stability.core.ManualClock;
import dev.stability.core.guard.CallInterceptor;
import dev.stability.core.guard.Guard;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Builds faults and injects them into guards (the guard's policies then react as to a real
 * misbehaving dependency) or around any call. An injection lasts until its handle is closed; {@code
 * TestRuntime} closes its runtime after each test, which ends every fault of that test.
 */
public final class Faults {

  private Faults() {}

  /** Adds a fixed delay before the call; sleeps for real. */
  public static Fault latency(Duration delay) {
    long millis = delay.toMillis();
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        Thread.sleep(millis);
        return call.call();
      }
    };
  }

  /** Adds a fixed delay before the call by advancing a manual clock (no real waiting). */
  public static Fault latency(Duration delay, ManualClock clock) {
    Objects.requireNonNull(clock, "clock");
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        clock.advance(delay);
        return call.call();
      }
    };
  }

  /**
   * Adds a latency drawn uniformly from {@code [min, max]} by a sequence seeded with {@code seed}
   * (the same seed gives the same delays); sleeps for real.
   */
  public static Fault latency(Duration min, Duration max, long seed) {
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("latency max " + max + " is below min " + min);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long spread = max.toNanos() - min.toNanos();
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        long extra;
        synchronized (random) {
          extra = spread == 0 ? 0 : random.nextLong(spread + 1);
        }
        long nanos = min.toNanos() + extra;
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        return call.call();
      }
    };
  }

  /**
   * Makes every call take {@code after} and then fail with a {@link TimeoutException}, as a
   * dependency that times out on its side does; the call never runs.
   */
  public static Fault timeout(Duration after) {
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        Thread.sleep(after.toMillis());
        throw new TimeoutException(
            "dependency timed out after " + after.toMillis() + " ms (injected)");
      }
    };
  }

  /** Fails every call with a fresh exception from {@code error}; the call never runs. */
  public static Fault exception(Supplier<? extends Exception> error) {
    return errorRate(1.0, 0, error);
  }

  /**
   * Fails a share {@code rate} (0..1) of calls, chosen by a random sequence seeded with {@code
   * seed}: the same seed fails the same calls in the same order.
   */
  public static Fault errorRate(double rate, long seed, Supplier<? extends Exception> error) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("error rate must be between 0 and 1, got " + rate);
    }
    SplittableRandom random = new SplittableRandom(seed);
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        double draw;
        synchronized (random) {
          draw = random.nextDouble();
        }
        if (draw < rate) {
          throw error.get();
        }
        return call.call();
      }
    };
  }

  /** Hangs every call until {@code release} opens (or the thread is interrupted). */
  public static Fault hang(CountDownLatch release) {
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        release.await();
        return call.call();
      }
    };
  }

  /**
   * Injects {@code fault} into a guard (through {@link Guard#intercept}) until the returned handle
   * is closed.
   *
   * @throws NullPointerException if {@code guard} or {@code fault} is null
   */
  public static Injection inject(Guard guard, Fault fault) {
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(fault, "fault");
    guard.intercept(
        new CallInterceptor() {
          @Override
          public <T> T invoke(Callable<T> call) throws Exception {
            return fault.apply(call);
          }
        });
    return () -> guard.intercept(null);
  }

  /** Wraps any call with a fault, for dependencies that are not behind a guard. */
  public static <T> Callable<T> wrap(Callable<T> call, Fault fault) {
    return () -> fault.apply(call);
  }

  /** An active injection; closing it removes the fault. */
  @FunctionalInterface
  public interface Injection extends AutoCloseable {
    @Override
    void close();
  }
}
