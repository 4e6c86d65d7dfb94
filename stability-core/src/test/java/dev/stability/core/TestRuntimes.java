package dev.stability.core;

import dev.stability.api.ServiceIdentity;

/**
 * Runtimes for tests, shared through the test-jar: quiet (no SLF4J output, so the build log stays
 * readable), with a test identity. Tests add what they look at (a sink, a registry, a clock).
 */
public final class TestRuntimes {
  private TestRuntimes() {}

  /** A builder for a quiet runtime of the test system OMS, instance {@code instance}. */
  public static StabilityRuntime.Builder quiet(String instance) {
    return quiet(TestIdentities.oms(instance));
  }

  /**
   * A builder for a quiet runtime with its own identity, for the tests whose system, subsystem or
   * role matters (or differs from {@link TestIdentities#oms}).
   */
  public static StabilityRuntime.Builder quiet(ServiceIdentity identity) {
    return StabilityRuntime.builder(identity).slf4jOutput(false);
  }
}
