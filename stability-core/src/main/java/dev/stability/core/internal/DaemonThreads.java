package dev.stability.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the SDK's threads {@code <prefix>-<n>} and makes them daemons, so a runtime the application
 * forgot to close never keeps the JVM alive. Internal.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
  public static ThreadFactory named(String prefix) {
    ThreadFactory base = Executors.defaultThreadFactory();
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread thread = base.newThread(r);
      thread.setName(prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
