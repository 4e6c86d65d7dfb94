package dev.stability.spring.autoconfigure;

import dev.stability.core.StabilityRuntime;

/**
 * Adjusts the runtime the starter builds, after the {@code stability.*} properties are applied:
 * application event codes, guards defined in code, event sinks, masking, a clock. Every bean of
 * this type is applied, in {@code @Order}. Called once, at startup.
 */
@FunctionalInterface
public interface StabilityRuntimeCustomizer {

  /** Adjusts the builder; a bad setting's {@code ConfigurationException} fails startup. */
  void customize(StabilityRuntime.Builder builder);
}
