package dev.stability.core.internal;

import dev.stability.core.StabilityRuntime;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The runtimes open in this JVM, so that log encoders can stamp ordinary statements with the
 * identity and current role of the process's runtime. With several open (tests, or two systems in
 * one process) none is "the" runtime, and encoders fall back to what they are told. Internal.
 */
public final class LiveRuntimes {

  private static final Set<StabilityRuntime> OPEN = new LinkedHashSet<>();
  private static volatile StabilityRuntime only;

  private LiveRuntimes() {}

  /** A runtime was built. */
  public static synchronized void opened(StabilityRuntime runtime) {
    OPEN.add(runtime);
    only = OPEN.size() == 1 ? runtime : null;
  }

  /** A runtime was closed. */
  public static synchronized void closed(StabilityRuntime runtime) {
    OPEN.remove(runtime);
    only = OPEN.size() == 1 ? OPEN.iterator().next() : null;
  }

  /** The one runtime open in this JVM, or null if there is none or more than one. */
  public static StabilityRuntime only() {
    return only;
  }
}
