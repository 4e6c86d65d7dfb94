package dev.stability.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time the benchmark's worker threads spent per operation
 * ({@code cpu.time.norm}, ns/op), from {@link ThreadMXBean#getThreadCpuTime}. On a shared machine
 * the wall time per operation (JMH's score) includes the time the thread waited for a CPU; the CPU
 * time does not, so it stays comparable between runs at different loads (the caches are still
 * shared, so it is not immune to other work). Time a thread spends blocked (an {@code msync}, a
 * park) is not CPU time: use it for CPU-bound benchmarks. Use with {@code -prof
 * dev.stability.benchmarks.ThreadCpuProfiler}.
 *
 * <p>It also reports the bytes the worker threads themselves allocated per operation ({@code
 * thread.alloc.norm}, B/op, from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}):
 * JMH's {@code gc.alloc.rate.norm} counts every thread of the JVM, so work handed to another thread
 * (a checkpoint made on the auditor's thread) shows there and not here.
 */
public final class ThreadCpuProfiler implements InternalProfiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> before = new HashMap<>();
  private final Map<Long, Long> allocatedBefore = new HashMap<>();

  @Override
  public String getDescription() {
    return "CPU time and allocated bytes of the benchmark threads per operation";
  }

  private Map<Long, Long> workerTimes() {
    return perWorker(threads::getThreadCpuTime);
  }

  private Map<Long, Long> workerAllocations() {
    return threads instanceof com.sun.management.ThreadMXBean counting
        ? perWorker(counting::getThreadAllocatedBytes)
        : Map.of();
  }

  /** {@code read} of each JMH worker thread by id, where it answers (>= 0). */
  private Map<Long, Long> perWorker(LongUnaryOperator read) {
    Map<Long, Long> values = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("-jmh-worker-")) {
        long value = read.applyAsLong(info.getThreadId());
        if (value >= 0) {
          values.put(info.getThreadId(), value);
        }
      }
    }
    return values;
  }

  /** The sum over threads of how much each value grew since {@code before}. */
  private static long growth(Map<Long, Long> now, Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before.clear();
    before.putAll(workerTimes());
    allocatedBefore.clear();
    allocatedBefore.putAll(workerAllocations());
  }

  @Override
  public List<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = growth(workerTimes(), before);
    Map<Long, Long> allocations = workerAllocations();
    long allocated = growth(allocations, allocatedBefore);
    long ops = result.getMetadata().getMeasuredOps();
    double perOp = ops > 0 ? (double) cpu / ops : Double.NaN;
    double bytesPerOp = ops > 0 && !allocations.isEmpty() ? (double) allocated / ops : Double.NaN;
    return List.of(
        new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("thread.alloc.norm", bytesPerOp, "B/op", AggregationPolicy.AVG));
  }
}
