package dev.stability.examples.tail;

import dev.stability.api.journal.Journal;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.examples.trading.OrderFlow;
import dev.stability.examples.trading.OrderInput;
import dev.stability.examples.trading.TradingSystem;
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Step 1 of the trading demo (the pressure test at 6,000 and 8,000 orders/s) with instrumentation,
 * for BENCHMARKS.md's "The demo pressure test's tail". Not a test: run its main.
 *
 * <p>args: flush ({@code batch|os|every}) mode ({@code submit|stages|noop|bare}) [rates...]. {@code
 * submit} calls the system's own submit and times it (service time); {@code stages} does what
 * submit does stage by stage (journal append, apply to the core, capacity record), timing each;
 * {@code noop} builds the system and calls an empty lambda; {@code bare} is the harness alone.
 * {@code -DwarmUp=N} sets the warm-up in seconds (2, as in the demo); {@code -Dschedstat=1} splits
 * slow calls and late wake-ups into run-queue time and the rest, from {@code
 * /proc/thread-self/schedstat} (Linux). Per-thread CPU, run-queue time and wakeups of the process
 * over the run are printed from {@code /proc/self/task}.
 */
public final class TailProbe {
  static final int STALL_US = 1_000;
  // Over calls of >= 1 ms: their wall time, time on a CPU, time runnable but waiting for a CPU
  // (run queue, from /proc/thread-self/schedstat); the rest is blocked (I/O, page fault, lock).
  static long stallWall, stallCpu, stallRunq, stallCalls;
  // Over idle gaps of >= 1 ms between calls (the worker woke late): wall, run queue.
  static long gapWall, gapRunq, gapCount;
  static long[] prevEnd; // schedstat at the end of the previous call
  static long prevEndNanos;
  static Thread prevThread;

  static long[] schedstat() {
    try {
      String[] f =
          new String(Files.readAllBytes(Path.of("/proc/thread-self/schedstat"))).trim().split(" ");
      return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void account(long[] before, long t0, long[] after, long t1) {
    if (prevThread != Thread.currentThread()) { // a new step's worker
      prevThread = Thread.currentThread();
      prevEnd = null;
    }
    if (prevEnd != null && t0 - prevEndNanos >= STALL_US * 1_000L) {
      gapCount++;
      gapWall += t0 - prevEndNanos;
      gapRunq += before[1] - prevEnd[1];
    }
    if (t1 - t0 >= STALL_US * 1_000L) {
      stallCalls++;
      stallWall += t1 - t0;
      stallCpu += after[0] - before[0];
      stallRunq += after[1] - before[1];
    }
    prevEnd = after;
    prevEndNanos = t1;
  }

  /** Per thread of this process: cpu ns, run-queue ns, voluntary switches (summed by name). */
  static java.util.Map<String, long[]> threads() {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("-?[0-9]+$", "");
          String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
          long vol = 0;
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches"))
              vol = Long.parseLong(line.split("\\s+")[1]);
          }
          long[] v = out.computeIfAbsent(name, k -> new long[3]);
          v[0] += Long.parseLong(f[0]);
          v[1] += Long.parseLong(f[1]);
          v[2] += vol;
        } catch (java.io.IOException | RuntimeException gone) {
          // the thread ended
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  static String cpuLine() {
    try {
      return Files.readAllLines(Path.of("/proc/stat")).get(0);
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  public static void main(String[] args) throws Exception {
    String flushName = args.length > 0 ? args[0] : "batch";
    String mode = args.length > 1 ? args[1] : "submit";
    long[] rates = {6_000, 8_000};
    if (args.length > 2) {
      rates = new long[args.length - 2];
      for (int i = 2; i < args.length; i++) rates[i - 2] = Long.parseLong(args[i]);
    }
    FlushPolicy flush =
        switch (flushName) {
          case "os" -> FlushPolicy.os();
          case "every" -> FlushPolicy.everyRecord();
          default -> FlushPolicy.batch(64, Duration.ofMillis(2));
        };
    if (mode.equals("bare")) { // the harness alone: no system in the process, an empty call
      boolean sched = System.getProperty("schedstat") != null;
      PressureReport report =
          PressureTest.builder(
                  "orders",
                  () -> {
                    long[] a = sched ? schedstat() : null;
                    long t0 = System.nanoTime();
                    if (sched) account(a, t0, schedstat(), System.nanoTime());
                  })
              .rates(rates)
              .warmUp(Duration.ofSeconds(Long.getLong("warmUp", 2)))
              .measure(Duration.ofSeconds(2))
              .p99Limit(Duration.ofMillis(25))
              .threads(1)
              .build()
              .run();
      for (PressureReport.Step s : report.steps()) {
        System.out.println("STEP " + s.summary());
      }
      System.out.printf(
          Locale.ROOT,
          "SCHED idle gaps>=1ms: %d, %.1f ms wall, %.1f ms of it waiting for a cpu%n",
          gapCount,
          gapWall / 1e6,
          gapRunq / 1e6);
      return;
    }
    Path dir = Files.createTempDirectory("tail-probe-");
    Histogram service = new Histogram(3);
    Histogram gapNoStall = new Histogram(3); // start-to-start gaps not explained by a long call
    long[] stageMax = new long[4];
    long[] stallsBy = new long[4]; // append, apply, record, other
    long[] last = {0, 0}; // previous call start, previous call service
    try (TradingSystem test =
        TradingSystem.builder(dir).instanceId("fut-test").members(0).flush(flush).build()) {
      OrderFlow flow = new OrderFlow(test.market(), 99);
      if (System.getProperty("noStandby") != null) {
        test.follower().close(); // the in-process standby stops following: its thread ends
      }
      Journal journal = test.journal();
      PressureTest.Call call;
      boolean sched = System.getProperty("schedstat") != null;
      if (mode.equals("noop")) {
        call =
            () -> {
              long[] a = sched ? schedstat() : null;
              long t0 = System.nanoTime();
              long t1 = System.nanoTime();
              service.recordValue(1);
              if (sched) account(a, t0, schedstat(), t1);
            };
      } else if (sched) {
        call =
            () -> {
              long[] a = schedstat();
              long t0 = System.nanoTime();
              test.submit(flow.next());
              long t1 = System.nanoTime();
              long[] b = schedstat();
              service.recordValue(Math.max(1, (t1 - t0) / 1_000));
              account(a, t0, b, t1);
            };
      } else if (mode.equals("stages")) {
        call =
            () -> {
              long t0 = System.nanoTime();
              if (last[0] != 0) {
                long gap = t0 - last[0] - last[1];
                gapNoStall.recordValue(Math.max(0, gap / 1_000));
              }
              long t1, t2, t3;
              synchronized (test) {
                OrderInput input = flow.next();
                byte[] payload = input.encode();
                long seq = journal.append(0, payload);
                t1 = System.nanoTime();
                test.primary().apply(seq, 0, ByteBuffer.wrap(payload));
                t2 = System.nanoTime();
                test.orders().record();
                journal.durableSequence();
                t3 = System.nanoTime();
              }
              long[] d = {t1 - t0, t2 - t1, t3 - t2};
              long total = t3 - t0;
              service.recordValue(Math.max(1, total / 1_000));
              if (total / 1_000 >= STALL_US) {
                int worst = 0;
                for (int s = 1; s < 3; s++) if (d[s] > d[worst]) worst = s;
                stallsBy[worst]++;
              }
              for (int s = 0; s < 3; s++) stageMax[s] = Math.max(stageMax[s], d[s] / 1_000);
              last[0] = t0;
              last[1] = total;
            };
      } else {
        call =
            () -> {
              long t0 = System.nanoTime();
              if (last[0] != 0) {
                long gap = t0 - last[0] - last[1];
                gapNoStall.recordValue(Math.max(0, gap / 1_000));
              }
              test.submit(flow.next());
              long total = System.nanoTime() - t0;
              service.recordValue(Math.max(1, total / 1_000));
              if (total / 1_000 >= STALL_US) stallsBy[3]++;
              last[0] = t0;
              last[1] = total;
            };
      }
      System.out.println(
          "threads at start: "
              + Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.isAlive())
                  .map(Thread::getName)
                  .sorted()
                  .toList());
      String cpu0 = cpuLine();
      java.util.Map<String, long[]> threads0 = threads();
      PressureReport report =
          PressureTest.builder("orders", call)
              .rates(rates)
              .warmUp(Duration.ofSeconds(Long.getLong("warmUp", 2)))
              .measure(Duration.ofSeconds(2))
              .p99Limit(Duration.ofMillis(25))
              .threads(1)
              .progress(
                  line -> {
                    if (System.getProperty("stamps") != null) {
                      System.out.println("PROGRESS " + java.time.Instant.now() + " " + line);
                    }
                  })
              .build()
              .run();
      for (PressureReport.Step s : report.steps()) {
        System.out.println("STEP " + s.summary());
      }
      System.out.printf(
          Locale.ROOT,
          "SERVICE flush=%s mode=%s n=%d p50=%d p99=%d p99.9=%d max=%d us; calls>=1ms=%d"
              + " (append %d, apply %d, record %d, submit %d); stage max us append=%d apply=%d"
              + " record=%d%n",
          flushName,
          mode,
          service.getTotalCount(),
          service.getValueAtPercentile(50),
          service.getValueAtPercentile(99),
          service.getValueAtPercentile(99.9),
          service.getMaxValue(),
          stallsBy[0] + stallsBy[1] + stallsBy[2] + stallsBy[3],
          stallsBy[0],
          stallsBy[1],
          stallsBy[2],
          stallsBy[3],
          stageMax[0],
          stageMax[1],
          stageMax[2]);
      System.out.printf(
          Locale.ROOT,
          "GAP (idle between calls beyond the previous call) p99.9=%d max=%d us, gaps>=1ms=%d%n",
          gapNoStall.getValueAtPercentile(99.9),
          gapNoStall.getMaxValue(),
          gapNoStall.getCountBetweenValues(1_000, Long.MAX_VALUE / 4));
      java.util.Map<String, long[]> threads1 = threads();
      threads1.forEach(
          (name, v) -> {
            long[] w = threads0.getOrDefault(name, new long[3]);
            System.out.printf(
                Locale.ROOT,
                "THREAD %-16s cpu %7.1f ms  runq %7.1f ms  wakeups %7d%n",
                name,
                (v[0] - w[0]) / 1e6,
                (v[1] - w[1]) / 1e6,
                v[2] - w[2]);
          });
      System.out.println("CPU0 " + cpu0 + "\nCPU1 " + cpuLine());
      if (sched) {
        System.out.printf(
            Locale.ROOT,
            "SCHED calls>=1ms: %d, %.1f ms wall, %.1f ms of it waiting for a cpu (run queue);"
                + " idle gaps>=1ms: %d, %.1f ms wall, %.1f ms of it waiting for a cpu%n",
            stallCalls,
            stallWall / 1e6,
            stallRunq / 1e6,
            gapCount,
            gapWall / 1e6,
            gapRunq / 1e6);
      }
      System.out.println("live threads at end: " + Thread.getAllStackTraces().size());
    }
  }
}
