package dev.stability.core.guard;

import java.util.Collection;

/**
 * The runtime's guards, reached through {@code runtime.guards()}: defined at build time (from code
 * or a configuration document) or registered later, looked up by name, listed for inspection (the
 * ops endpoint and health checks use this). Thread-safe.
 */
public interface Guards {

  /**
   * The guard with this name.
   *
   * @throws dev.stability.api.ConfigurationException naming the unknown guard ({@code
   *     guards.<name>}) and the known ones
   */
  Guard guard(String name);

  /** Every guard, in registration order. */
  Collection<Guard> all();

  /**
   * Builds and registers a guard.
   *
   * @throws dev.stability.api.ConfigurationException if a guard of that name exists
   */
  Guard register(GuardSettings spec);
}
