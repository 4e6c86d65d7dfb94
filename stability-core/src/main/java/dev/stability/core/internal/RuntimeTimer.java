package dev.stability.core.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's one timer thread for short, non-blocking housekeeping (health polling and timeouts,
 * capacity sampling). Tasks must not block: a task that throws is contained and does not cancel its
 * schedule. Internal.
 */
public final class RuntimeTimer implements AutoCloseable {

  private final ScheduledThreadPoolExecutor executor;

  /** Starts the timer thread, named {@code stability-timer-<instance>}. */
  public RuntimeTimer(String instanceId) {
    this.executor =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("stability-timer-" + instanceId));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code task} every {@code period}, the first time after {@code initialDelay}. */
  public ScheduledFuture<?> every(Duration initialDelay, Duration period, Runnable task) {
    return executor.scheduleAtFixedRate(
        contained(task), initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} once after {@code delay}. */
  public ScheduledFuture<?> after(long delayNanos, Runnable task) {
    return executor.schedule(contained(task), delayNanos, TimeUnit.NANOSECONDS);
  }

  private static Runnable contained(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // The subsystems report their own failures as events; a throwing housekeeping task must
        // not cancel the schedule of the next run.
      }
    };
  }

  /** Stops the thread; pending tasks do not run. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
