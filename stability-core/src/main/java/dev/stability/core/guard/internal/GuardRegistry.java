package dev.stability.core.guard.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.Guards;
import dev.stability.core.internal.RuntimeContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The runtime's {@link Guards}. Internal. */
public final class GuardRegistry implements Guards, AutoCloseable {

  private final Map<String, DefaultGuard> byName = new ConcurrentHashMap<>();
  private final List<Guard> ordered = new CopyOnWriteArrayList<>();
  private final GuardEnvironment env;
  private final String instance;
  private volatile ScheduledExecutorService scheduler;

  /** Creates an empty registry. */
  public GuardRegistry(RuntimeContext context) {
    this.instance = context.identity().instanceId();
    this.env =
        new GuardEnvironment(
            context.events(),
            context.meters(),
            context.ticker(),
            context.sleeper(),
            this::scheduler);
  }

  private ScheduledExecutorService scheduler() {
    ScheduledExecutorService current = scheduler;
    if (current == null) {
      synchronized (this) {
        current = scheduler;
        if (current == null) {
          current =
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread thread = new Thread(r, "stability-guard-timer-" + instance);
                    thread.setDaemon(true);
                    return thread;
                  });
          scheduler = current;
        }
      }
    }
    return current;
  }

  @Override
  public Guard guard(String name) {
    Guard guard = byName.get(name);
    if (guard == null) {
      throw new ConfigurationException(
          "guards." + name, name, "no such guard; known guards: " + byName.keySet());
    }
    return guard;
  }

  /** The guard of that name, or null: for the warm standby's capture and inheritance. */
  public DefaultGuard find(String name) {
    return byName.get(name);
  }

  /** Every guard's carried state, in registration order. */
  public List<GuardState> capture() {
    return ordered.stream().map(g -> ((DefaultGuard) g).capture()).toList();
  }

  @Override
  public Collection<Guard> all() {
    return List.copyOf(ordered);
  }

  @Override
  public synchronized Guard register(GuardSettings spec) {
    if (byName.containsKey(spec.name())) {
      throw new ConfigurationException(
          "guards." + spec.name(), spec.name(), "a guard with this name is already registered");
    }
    DefaultGuard guard = new DefaultGuard(spec, env);
    byName.put(spec.name(), guard);
    ordered.add(guard);
    return guard;
  }

  /** Stops the time-limit scheduler, if one was started. */
  @Override
  public void close() {
    for (DefaultGuard guard : byName.values()) {
      guard.close();
    }
    ScheduledExecutorService current = scheduler;
    if (current != null) {
      current.shutdownNow();
    }
  }
}
