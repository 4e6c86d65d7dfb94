package dev.stability.aeron.internal;

/** How the replication threads end. Internal. */
public final class Threads {
  private Threads() {}

  /**
   * Waits up to 5 s for {@code thread} (already told to stop) to end, then releases what it used,
   * in order. Keeps the caller's interrupt.
   */
  public static void joinThenRelease(Thread thread, Runnable... releases) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Runnable release : releases) {
      release.run();
    }
  }
}
