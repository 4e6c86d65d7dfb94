package dev.stability.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method its own {@link TestRuntime}: an isolated {@code StabilityRuntime} with its
 * own meter registry, event capture, manual clock (optional) and temporary directory, closed after
 * the test. Declare a {@code TestRuntime}, {@code StabilityRuntime}, {@code RecordingEventSink} or
 * {@code ManualClock} parameter to receive it. Safe with parallel test execution: nothing is shared
 * between tests.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(StabilityExtension.class)
public @interface StabilityTest {

  /** System code of the test runtime's identity. */
  String systemCode() default "TEST";

  /** Instance id of the test runtime's identity; a unique suffix is appended per test. */
  String instanceId() default "test";

  /**
   * Whether the runtime runs on a {@code ManualClock} (starting at 2026-01-05T09:00 Asia/Shanghai)
   * instead of the system clock.
   */
  boolean manualClock() default false;

  /**
   * Guard documents (YAML, JSON, properties; the format of {@code GuardDocuments}) to load, named
   * as resources on the test class path ({@code "guards.yaml"} is {@code
   * src/test/resources/guards.yaml}), not as files. A missing resource fails the test naming it.
   */
  String[] guards() default {};
}
