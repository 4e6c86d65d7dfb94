package dev.stability.core;

/**
 * Runtimes for tests, shared through the test-jar: quiet (no SLF4J output, so the build log stays
 * readable), with a test identity. Tests add what they look at (a sink, a registry, a clock).
 */
public final class TestRuntimes {
  private TestRuntimes() {}

  /** A builder for a quiet runtime of the test system OMS, instance {@code instance}. */
  public static StabilityRuntime.Builder quiet(String instance) {
    return StabilityRuntime.builder(TestIdentities.oms(instance)).slf4jOutput(false);
  }
}
