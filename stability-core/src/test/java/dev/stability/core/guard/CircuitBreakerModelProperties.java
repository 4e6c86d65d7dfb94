package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.guard.CircuitState;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The lean count-based breaker must behave exactly like a plain, obviously-correct model of
 * Resilience4j's semantics, for any sequence of successes, failures, slow calls and waits.
 */
class CircuitBreakerModelProperties {

  enum Step {
    OK,
    FAIL,
    SLOW_OK,
    SLOW_FAIL,
    WAIT_SHORT,
    WAIT_LONG
  }

  private static final long SLOW_MS = 20;
  private static final long WAIT_MS = 1_000;

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(300);
  }

  @Property(tries = 300)
  void breakerAgreesWithTheReferenceModelAtEveryStep(
      @ForAll("steps") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 12) int windowSize,
      @ForAll @IntRange(min = 1, max = 15) int minimumCalls,
      @ForAll @IntRange(min = 1, max = 100) int failureThreshold,
      @ForAll @IntRange(min = 1, max = 100) int slowThreshold,
      @ForAll @IntRange(min = 1, max = 4) int trials,
      @ForAll boolean withBulkhead)
      throws Exception {
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-24T06:00:00Z"), ZoneId.of("UTC"));
    CircuitBreakerSettings spec =
        CircuitBreakerSettings.builder()
            .slidingWindowSize(windowSize)
            .minimumNumberOfCalls(minimumCalls)
            .failureRateThreshold(failureThreshold)
            .slowCallRateThreshold(slowThreshold)
            .slowCallDurationThreshold(Duration.ofMillis(SLOW_MS))
            .waitDurationInOpenState(Duration.ofMillis(WAIT_MS))
            .permittedNumberOfCallsInHalfOpenState(trials)
            .build();
    Model model = new Model(spec);
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("p1")
            .clock(clock)
            .guard(
                withBulkhead
                    // the bulkhead's admission ticket then numbers the window's slots
                    ? GuardSettings.builder("g")
                        .circuitBreaker(spec)
                        .bulkhead(BulkheadSettings.of(4))
                        .build()
                    : GuardSettings.builder("g").circuitBreaker(spec).build())
            .build()) {
      Guard guard = runtime.guards().guard("g");
      int index = 0;
      for (Step step : steps) {
        index++;
        switch (step) {
          case WAIT_SHORT -> clock.advance(Duration.ofMillis(WAIT_MS / 3));
          case WAIT_LONG -> clock.advance(Duration.ofMillis(WAIT_MS));
          default -> {
            boolean failed = step == Step.FAIL || step == Step.SLOW_FAIL;
            boolean slow = step == Step.SLOW_OK || step == Step.SLOW_FAIL;
            boolean expectedAdmitted = model.call(clock.millis(), failed, slow);
            boolean admitted = call(guard, clock, failed, slow);
            assertThat(admitted)
                .as("admitted at step %d (%s)", index, step)
                .isEqualTo(expectedAdmitted);
          }
        }
        assertThat(guard.circuitState())
            .as("state after step %d (%s) of %s", index, step, steps)
            .isEqualTo(model.state(clock.millis()));
      }
    }
  }

  private static boolean call(Guard guard, ManualClock clock, boolean failed, boolean slow)
      throws Exception {
    try {
      guard.call(
          () -> {
            if (slow) {
              clock.advance(Duration.ofMillis(SLOW_MS));
            }
            if (failed) {
              throw new IOException("down");
            }
            return "ok";
          });
      return true;
    } catch (CircuitOpenException refused) {
      return false;
    } catch (IOException failure) {
      return true;
    }
  }

  /** Resilience4j's count-based semantics, written as plainly as possible. */
  static final class Model {
    private final CircuitBreakerSettings spec;
    private final Deque<boolean[]> window = new ArrayDeque<>();
    private CircuitState state = CircuitState.CLOSED;
    private long openedAt;
    private int permits;
    private int trialCalls;
    private int trialFailures;
    private int trialSlow;

    Model(CircuitBreakerSettings spec) {
      this.spec = spec;
    }

    /** The state as the breaker reports it (OPEN until a call finds the wait over). */
    CircuitState state(long now) {
      return state;
    }

    boolean call(long start, boolean failed, boolean slow) {
      long end = start + (slow ? SLOW_MS : 0);
      if (state == CircuitState.OPEN) {
        if (start - openedAt < WAIT_MS) {
          return false;
        }
        state = CircuitState.HALF_OPEN;
        permits = spec.permittedNumberOfCallsInHalfOpenState();
        trialCalls = 0;
        trialFailures = 0;
        trialSlow = 0;
      }
      if (state == CircuitState.HALF_OPEN) {
        if (permits == 0) {
          return false;
        }
        permits--;
        trialCalls++;
        trialFailures += failed ? 1 : 0;
        trialSlow += slow ? 1 : 0;
        if (trialCalls == spec.permittedNumberOfCallsInHalfOpenState()) {
          if (over(trialFailures, trialSlow, trialCalls)) {
            state = CircuitState.OPEN;
            openedAt = end;
          } else {
            state = CircuitState.CLOSED;
            window.clear();
          }
        }
        return true;
      }
      window.addLast(new boolean[] {failed, slow});
      if (window.size() > spec.slidingWindowSize()) {
        window.removeFirst();
      }
      int minimum = Math.min(spec.minimumNumberOfCalls(), spec.slidingWindowSize());
      if (window.size() >= minimum) {
        int failures = 0;
        int slowCalls = 0;
        for (boolean[] outcome : window) {
          failures += outcome[0] ? 1 : 0;
          slowCalls += outcome[1] ? 1 : 0;
        }
        if (over(failures, slowCalls, window.size())) {
          state = CircuitState.OPEN;
          openedAt = end;
        }
      }
      return true;
    }

    private boolean over(int failures, int slowCalls, int calls) {
      return failures * 100f / calls >= spec.failureRateThreshold()
          || slowCalls * 100f / calls >= spec.slowCallRateThreshold();
    }
  }
}
