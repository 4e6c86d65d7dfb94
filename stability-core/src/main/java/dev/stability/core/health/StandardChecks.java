package dev.stability.core.health;

import dev.stability.api.ConfigurationException;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.Guards;
import dev.stability.core.internal.Rules;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Checks every service needs, ready to register (R3). The runtime registers {@link #guards} and
 * {@link #jvm()} itself unless {@code HealthSettings.builtInChecks} is off; disk space and clock
 * offset need the application's path and time reference. To change a check's kind or grade, wrap
 * it: {@code HealthCheck.of(c.name(), kind, grade, c::check)}.
 */
public final class StandardChecks {

  private StandardChecks() {}

  /**
   * {@code guards} (readiness, grade 2): DEGRADED while any guard's breaker is open, forced open or
   * half open, or it is shedding load; details give each guard's breaker state.
   */
  public static HealthCheck guards(Guards guards) {
    return HealthCheck.of(
        "guards",
        HealthKind.READINESS,
        2,
        () -> {
          List<String> problems = new ArrayList<>();
          HealthResult result = HealthResult.up();
          for (Guard guard : guards.all()) {
            CircuitState state = guard.circuitState();
            boolean shedding = guard.shedding();
            if (state == CircuitState.OPEN
                || state == CircuitState.FORCED_OPEN
                || state == CircuitState.HALF_OPEN) {
              problems.add(guard.name() + " breaker " + state);
            }
            if (shedding) {
              problems.add(guard.name() + " shedding load");
            }
            result =
                result.withDetail(
                    guard.name(),
                    state.name().toLowerCase(Locale.ROOT) + (shedding ? "+shedding" : ""));
          }
          if (problems.isEmpty()) {
            return new HealthResult(
                HealthStatus.UP, guards.all().size() + " guards closed", result.details());
          }
          return new HealthResult(
              HealthStatus.DEGRADED, String.join("; ", problems), result.details());
        });
  }

  /** {@link #jvm(JvmCheckSettings)} with {@link JvmCheckSettings#defaults()}. */
  public static HealthCheck jvm() {
    return jvm(JvmCheckSettings.defaults());
  }

  /**
   * {@code jvm} (liveness, grade 1): DOWN when threads are deadlocked; DEGRADED when the heap still
   * in use after the last collections, the share of time spent in GC pauses since the previous run,
   * or the thread count passes its limit.
   */
  public static HealthCheck jvm(JvmCheckSettings limits) {
    JvmProbe probe = new JvmProbe(limits);
    return HealthCheck.of("jvm", HealthKind.LIVENESS, 1, probe::check);
  }

  /**
   * Limits of the {@link #jvm(JvmCheckSettings)} check.
   *
   * @param maxHeapUsed heap in use after GC / maximum heap above which the JVM is degraded, 0.1..1
   * @param maxGcPauseShare share of wall time in GC pauses above which it is degraded, 0.01..1
   * @param maxThreads live threads above which it is degraded, at least 1
   */
  public record JvmCheckSettings(double maxHeapUsed, double maxGcPauseShare, int maxThreads) {

    /** Validates. */
    public JvmCheckSettings {
      Rules.between("health.jvm.max-heap-used", maxHeapUsed, 0.1, 1.0);
      Rules.between("health.jvm.max-gc-pause-share", maxGcPauseShare, 0.01, 1.0);
      Rules.atLeast("health.jvm.max-threads", maxThreads, 1);
    }

    /** Heap 90%, GC pauses 10% of the time, 5000 threads. */
    public static JvmCheckSettings defaults() {
      return new JvmCheckSettings(0.9, 0.1, 5000);
    }
  }

  /**
   * {@code disk.<label>} (readiness, grade 1): DOWN when the file store holding {@code path} has
   * less than {@code minFreeBytes} usable, or the path does not exist; journals and operation logs
   * must never fail for lack of space.
   *
   * @throws ConfigurationException if the label is malformed or the minimum is negative
   */
  public static HealthCheck diskSpace(String label, Path path, long minFreeBytes) {
    if (minFreeBytes < 0) {
      throw new ConfigurationException(
          "health.disk." + label + ".min-free", minFreeBytes, "must be >= 0");
    }
    return HealthCheck.of(
        "disk." + label,
        HealthKind.READINESS,
        1,
        () -> {
          long free;
          try {
            free = Files.getFileStore(path).getUsableSpace();
          } catch (NoSuchFileException e) {
            return HealthResult.down("path " + path + " does not exist");
          } catch (IOException e) {
            return HealthResult.down("cannot read the file store of " + path + ": " + e);
          }
          HealthResult result =
              free < minFreeBytes
                  ? HealthResult.down(
                      path + " has " + mib(free) + " free, needs at least " + mib(minFreeBytes))
                  : HealthResult.up(path + " has " + mib(free) + " free");
          return result.withDetail("free_bytes", free).withDetail("min_free_bytes", minFreeBytes);
        });
  }

  /**
   * {@code clock} (readiness, grade 1): compares {@code clock} with a reference time the
   * application trusts (an NTP or PTP reading, the exchange's time) and is DOWN when they differ by
   * more than {@code maxOffset}: timestamps on trading records must be right. The local reading is
   * taken as the midpoint around the reference call, so a slow reference does not count as offset.
   * UNKNOWN when the reference has no answer (returns null).
   *
   * @throws ConfigurationException if {@code maxOffset} is not positive
   */
  public static HealthCheck clockOffset(
      Clock clock, Supplier<Instant> reference, Duration maxOffset) {
    Rules.positive("health.clock.max-offset", maxOffset);
    return HealthCheck.of(
        "clock",
        HealthKind.READINESS,
        1,
        () -> {
          Instant before = clock.instant();
          Instant ref = reference.get();
          Instant after = clock.instant();
          if (ref == null) {
            return HealthResult.unknown("the time reference gave no answer");
          }
          Instant local = before.plus(Duration.between(before, after).dividedBy(2));
          Duration offset = Duration.between(ref, local);
          String text = offset.toNanos() / 1_000 + " us";
          HealthResult result =
              offset.abs().compareTo(maxOffset) > 0
                  ? HealthResult.down(
                      "clock is "
                          + text
                          + " off the reference, more than the allowed "
                          + maxOffset.toMillis()
                          + " ms")
                  : HealthResult.up("clock is " + text + " off the reference");
          return result
              .withDetail("offset_us", offset.toNanos() / 1_000)
              .withDetail("max_offset_us", maxOffset.toNanos() / 1_000);
        });
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** Reads the JVM's management beans; remembers GC time between runs for the pause share. */
  private static final class JvmProbe {
    private final JvmCheckSettings limits;
    private long lastGcMillis = -1;
    private long lastWallNanos;

    JvmProbe(JvmCheckSettings limits) {
      this.limits = limits;
    }

    synchronized HealthResult check() {
      List<String> degraded = new ArrayList<>();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long[] deadlocked = threads.findDeadlockedThreads();
      double heapUsed = heapUsedAfterGc();
      double gcShare = gcPauseShare();
      int threadCount = threads.getThreadCount();
      if (heapUsed > limits.maxHeapUsed()) {
        degraded.add(String.format(Locale.ROOT, "heap %.0f%% used after GC", heapUsed * 100));
      }
      if (gcShare > limits.maxGcPauseShare()) {
        degraded.add(String.format(Locale.ROOT, "%.0f%% of time in GC pauses", gcShare * 100));
      }
      if (threadCount > limits.maxThreads()) {
        degraded.add(threadCount + " threads, limit " + limits.maxThreads());
      }
      HealthResult result;
      if (deadlocked != null) {
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(deadlocked)) {
          if (info != null) {
            names.add(info.getThreadName() + " waiting for " + info.getLockName());
          }
        }
        result = HealthResult.down(deadlocked.length + " threads deadlocked: " + names);
      } else if (!degraded.isEmpty()) {
        result = HealthResult.degraded(String.join("; ", degraded));
      } else {
        result =
            HealthResult.up(
                String.format(
                    Locale.ROOT,
                    "heap %.0f%% used after GC, %.1f%% in GC, %d threads",
                    heapUsed * 100,
                    gcShare * 100,
                    threadCount));
      }
      return result
          .withDetail("heap_used_ratio", round(heapUsed))
          .withDetail("gc_pause_share", round(gcShare))
          .withDetail("threads", threadCount)
          .withDetail("deadlocked_threads", deadlocked == null ? 0 : deadlocked.length);
    }

    /**
     * Heap still in use after the last collection of each pool (what is live, not garbage waiting
     * for the next GC) over the maximum heap; the current usage where a pool has no such figure.
     */
    private static double heapUsedAfterGc() {
      long used = 0;
      long max = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() != MemoryType.HEAP || !pool.isValid()) {
          continue;
        }
        MemoryUsage afterGc = pool.getCollectionUsage();
        MemoryUsage usage = afterGc != null ? afterGc : pool.getUsage();
        used += usage.getUsed();
        MemoryUsage now = pool.getUsage();
        max += now.getMax() > 0 ? now.getMax() : now.getCommitted();
      }
      return max <= 0 ? 0 : (double) used / max;
    }

    private double gcPauseShare() {
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        // ZGC and Shenandoah report concurrent cycles in "... Cycles" beans: not pauses.
        String name = gc.getName();
        if (!name.contains("Cycles") && !name.contains("Concurrent")) {
          gcMillis += Math.max(0, gc.getCollectionTime());
        }
      }
      long wall = System.nanoTime();
      double share;
      if (lastGcMillis < 0) {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        share = uptime <= 0 ? 0 : (double) gcMillis / uptime;
      } else {
        long wallMillis = (wall - lastWallNanos) / 1_000_000;
        share = wallMillis <= 0 ? 0 : (double) (gcMillis - lastGcMillis) / wallMillis;
      }
      lastGcMillis = gcMillis;
      lastWallNanos = wall;
      return Math.min(1.0, share);
    }

    private static double round(double value) {
      return Math.round(value * 1000) / 1000.0;
    }
  }
}
