package dev.stability.testkit.junit;

import java.io.IOException;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a fault in a guard of a {@link StabilityTest}'s runtime for the whole test (on the
 * method, or on the class for every test). Latency follows the runtime's clock: a manual clock is
 * advanced, the system clock is slept on. Failures (rate 0..1, seeded) throw {@link #exception()}
 * built with a message, or with no arguments if it has no message constructor. Ends with the test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(InjectFaults.class)
public @interface InjectFault {

  /** Name of the guard to inject into. */
  String guard();

  /** Added latency per call, in milliseconds. */
  long latencyMs() default 0;

  /** Share of calls that fail, 0 to 1. */
  double errorRate() default 0;

  /** Seed of the failure sequence: the same seed fails the same calls. */
  long seed() default 1;

  /** What a failing call throws. */
  Class<? extends Exception> exception() default IOException.class;
}
