package dev.stability.testkit.pressure;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * An open-loop, constant-rate pressure test (R1, R2): calls are scheduled by time at the target
 * rate, whether earlier calls have finished or not, and each call's latency is measured from the
 * time it was <em>due</em>, not from when a busy worker got round to it, so a system that falls
 * behind shows the delay its clients would see (no coordinated omission). Each step runs a warm-up
 * and then a measurement at one rate; steps go up until one is not sustained. A step is sustained
 * when 99% of its scheduled calls completed within the measurement window, its p99 kept the limit
 * and its errors the allowed share; calls still unfinished well after the window (a hung service)
 * end the step and count as errors. Latencies (µs) go into an HdrHistogram {@code Recorder} with 3
 * significant digits; off the measured path, a sampler thread swaps out its interval histogram
 * every tenth of the measurement (200 ms to 1 s) for the latency over time, with the process's CPU
 * load and heap in use, and the step's whole histogram gives its latency by percentile. The worker
 * threads are the test's own limit: give enough of them for the service's concurrency, or a "not
 * sustained" may be the generator's.
 *
 * <pre>{@code
 * PressureReport report = PressureTest.builder("orders", () -> gateway.submit(nextOrder()))
 *     .rates(20_000, 40_000, 60_000).warmUp(Duration.ofSeconds(2)).measure(Duration.ofSeconds(10))
 *     .p99Limit(Duration.ofMillis(2)).threads(4).build().run();
 * report.assertSustains(3 * historicalPeak);                 // R1
 * report.recordInto(runtime.capacity().indicator("orders"));  // the tested capacity
 * }</pre>
 */
public final class PressureTest {

  /** One unit of work; may throw (counted as an error). */
  @FunctionalInterface
  public interface Call {
    /** Does it. */
    void run() throws Exception;
  }

  private final String name;
  private final Call call;
  private final List<Long> rates;
  private final Duration warmUp;
  private final Duration measure;
  private final Duration p99Limit;
  private final double maxErrorRatio;
  private final int threads;
  private final Consumer<String> progress;

  private PressureTest(Builder builder) {
    this.name = builder.name;
    this.call = builder.call;
    this.rates = List.copyOf(builder.rates);
    this.warmUp = builder.warmUp;
    this.measure = builder.measure;
    this.p99Limit = builder.p99Limit;
    this.maxErrorRatio = builder.maxErrorRatio;
    this.threads = builder.threads;
    this.progress = builder.progress;
  }

  /** Starts a test of {@code call} named {@code name}. */
  public static Builder builder(String name, Call call) {
    return new Builder(name, call);
  }

  /**
   * Runs the steps in order, stopping after the first one that is not sustained (achieved rate
   * below 99% of the target, p99 above the limit, or too many errors).
   */
  public PressureReport run() throws InterruptedException {
    List<PressureReport.Step> steps = new ArrayList<>();
    long started = System.currentTimeMillis();
    long runStart = System.nanoTime();
    for (long rate : rates) {
      runAt(rate, warmUp, null, runStart);
      PressureReport.Step step = runAt(rate, measure, progress, runStart);
      steps.add(step);
      progress.accept(step.summary());
      if (!step.sustained()) {
        break;
      }
    }
    return new PressureReport(
        name, p99Limit, maxErrorRatio, steps, started, System.currentTimeMillis());
  }

  private PressureReport.Step runAt(
      long rate, Duration duration, Consumer<String> live, long runStart)
      throws InterruptedException {
    double intervalNanos = 1e9 / rate;
    long windowNanos = duration.toNanos();
    long total = (long) (rate * (windowNanos / 1e9));
    Recorder recorder = new Recorder(3);
    Histogram overTime = new Histogram(3);
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    AtomicLong completedInWindow = new AtomicLong();
    List<PressureReport.TimelinePoint> timeline = new ArrayList<>();
    long start = System.nanoTime() + 1_000_000; // a millisecond for the workers to be ready
    long windowEnd = start + windowNanos;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + (long) (i * intervalNanos);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                      if (wait > 50_000) {
                        LockSupport.parkNanos(wait - 20_000);
                      } else {
                        Thread.onSpinWait();
                      }
                    }
                    try {
                      call.run();
                    } catch (Throwable e) {
                      errors.incrementAndGet();
                    }
                    long end = System.nanoTime();
                    // From when the call was due, not from when a worker got to it.
                    recorder.recordValue(Math.max(1, (end - due) / 1_000));
                    completed.incrementAndGet();
                    if (end <= windowEnd) {
                      completedInWindow.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "pressure-" + name + "-" + t);
      worker.setDaemon(true);
      worker.start();
    }
    // Sample every interval, on this thread, off the measured path: the workers only record into
    // the Recorder; here its interval histogram is swapped out for the latency over time (p99 per
    // interval), with CPU and heap (R2). Calls still running well after the window (a hung
    // service) end the step: it is not sustained, the workers are abandoned.
    long grace = Math.max(1_000_000_000L, p99Limit.toNanos() * 10);
    long sampleNanos = sampleInterval(measure).toNanos();
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    com.sun.management.OperatingSystemMXBean cpu =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    if (cpu != null) {
      cpu.getProcessCpuLoad(); // the first reading has no earlier sample to compare with: 0
    }
    double cpuSum = 0;
    int cpuSamples = 0;
    long heapMax = 0;
    Histogram interval = null;
    long nextProgress = start + 1_000_000_000L;
    long unfinished = 0;
    try {
      while (!done.await(sampleNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        interval = recorder.getIntervalHistogram(interval);
        overTime.add(interval);
        double load = cpu == null ? -1 : cpu.getProcessCpuLoad();
        if (load >= 0) {
          cpuSum += load;
          cpuSamples++;
        }
        long heap = heapUsed();
        heapMax = Math.max(heapMax, heap);
        long now = System.nanoTime();
        timeline.add(point(now - runStart, interval, load, heap));
        if (live != null && now >= nextProgress) {
          nextProgress += 1_000_000_000L;
          live.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "%s @ %d/s: %ds, %d calls, p99 %d us",
                  name,
                  rate,
                  Math.round((now - start) / 1e9),
                  completed.get(),
                  interval.getValueAtPercentile(99.0)));
        }
        if (now > windowEnd + grace) {
          unfinished = Math.max(0, total - completed.get());
          next.set(total); // schedule nothing more
          break;
        }
      }
    } catch (InterruptedException e) {
      next.set(total);
      throw e;
    }
    interval = recorder.getIntervalHistogram(interval);
    overTime.add(interval);
    long heap = heapUsed();
    heapMax = Math.max(heapMax, heap);
    // The last, partial interval; and for a step that ended before its first sample the CPU since
    // the reading at its start, or R2's CPU figure would be missing (-1).
    double lastLoad = cpu == null ? -1 : cpu.getProcessCpuLoad();
    if (cpuSamples == 0 && lastLoad >= 0) {
      cpuSum += lastLoad;
      cpuSamples++;
    }
    if (interval.getTotalCount() > 0 || timeline.isEmpty()) {
      timeline.add(point(System.nanoTime() - runStart, interval, lastLoad, heap));
    }
    double achieved = completedInWindow.get() * 1e9 / windowNanos;
    return new PressureReport.Step(
        rate,
        achieved,
        completed.get(),
        errors.get() + unfinished,
        overTime.getValueAtPercentile(50.0),
        overTime.getValueAtPercentile(90.0),
        overTime.getValueAtPercentile(99.0),
        overTime.getValueAtPercentile(99.9),
        overTime.getMaxValue(),
        cpuSamples == 0 ? -1 : cpuSum / cpuSamples,
        heapMax,
        timeline,
        spectrum(overTime),
        p99Limit,
        maxErrorRatio);
  }

  /**
   * How often latency, CPU and heap are sampled: ten samples per measurement, every 200 ms at the
   * most (reading the process's CPU load costs about a millisecond in a container) and every second
   * at the least.
   */
  static Duration sampleInterval(Duration measure) {
    long millis = Math.max(200, Math.min(1_000, measure.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  /**
   * The heap in use, from the runtime (total - free): the memory MXBean's figure is updated by G1
   * only when a region is retired, so a test that allocates little read 0 there.
   */
  private static long heapUsed() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static PressureReport.TimelinePoint point(
      long sinceStartNanos, Histogram interval, double cpuLoad, long heapUsed) {
    return new PressureReport.TimelinePoint(
        sinceStartNanos / 1_000_000,
        interval.getTotalCount(),
        interval.getValueAtPercentile(99.0),
        interval.getMaxValue(),
        cpuLoad,
        heapUsed);
  }

  /**
   * The latency by percentile of a step, as HdrHistogram's percentile distribution lists it (5
   * points per halving of the distance to 100%), up to the highest percentile its count resolves,
   * {@code 100 (1 - 1/count)}, where it ends with the maximum.
   */
  static List<PressureReport.PercentilePoint> spectrum(Histogram histogram) {
    long count = histogram.getTotalCount();
    if (count == 0) {
      return List.of();
    }
    double last = 100.0 * (1 - 1.0 / count);
    List<PressureReport.PercentilePoint> points = new ArrayList<>();
    for (HistogramIterationValue value : histogram.percentiles(5)) {
      double percentile = value.getPercentileLevelIteratedTo();
      if (percentile >= last) {
        break;
      }
      points.add(new PressureReport.PercentilePoint(percentile, value.getValueIteratedTo()));
    }
    points.add(new PressureReport.PercentilePoint(last, histogram.getMaxValue()));
    return points;
  }

  /** Builds a {@link PressureTest}. */
  public static final class Builder {
    private final String name;
    private final Call call;
    private final List<Long> rates = new ArrayList<>();
    private Duration warmUp = Duration.ofSeconds(1);
    private Duration measure = Duration.ofSeconds(5);
    private Duration p99Limit = Duration.ofMillis(10);
    private double maxErrorRatio = 0.0;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private Consumer<String> progress = line -> {};

    private Builder(String name, Call call) {
      this.name = Objects.requireNonNull(name, "name");
      this.call = Objects.requireNonNull(call, "call");
    }

    /** The rates to try, in calls per second, lowest first. */
    public Builder rates(long... values) {
      for (long value : values) {
        rates.add(value);
      }
      return this;
    }

    /** Warm-up at each rate, not measured (default 1 s). */
    public Builder warmUp(Duration value) {
      this.warmUp = value;
      return this;
    }

    /** Measurement at each rate (default 5 s). */
    public Builder measure(Duration value) {
      this.measure = value;
      return this;
    }

    /** The p99 a rate must keep to count as sustained (default 10 ms). */
    public Builder p99Limit(Duration value) {
      this.p99Limit = value;
      return this;
    }

    /** The share of calls that may fail at a sustained rate (default 0). */
    public Builder maxErrorRatio(double value) {
      this.maxErrorRatio = value;
      return this;
    }

    /** Worker threads that make the calls (default: the processors, at least 2). */
    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    /** Receives a progress line every second and a summary per step. */
    public Builder progress(Consumer<String> value) {
      this.progress = Objects.requireNonNull(value, "progress");
      return this;
    }

    /**
     * Builds the test.
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public PressureTest build() {
      if (rates.isEmpty()) {
        throw new IllegalArgumentException("pressure test " + name + ": needs at least one rate");
      }
      for (int i = 0; i < rates.size(); i++) {
        if (rates.get(i) < 1 || rates.get(i) > 100_000_000) {
          throw new IllegalArgumentException(
              "pressure test "
                  + name
                  + ": rate "
                  + rates.get(i)
                  + " must be 1..100000000 per second");
        }
        if (i > 0 && rates.get(i) <= rates.get(i - 1)) {
          throw new IllegalArgumentException(
              "pressure test " + name + ": rates must go up, got " + rates);
        }
      }
      if (measure == null || measure.toMillis() < 100) {
        throw new IllegalArgumentException(
            "pressure test "
                + name
                + ": the measurement must last at least 100 ms, got "
                + measure);
      }
      if (warmUp == null || warmUp.isNegative()) {
        throw new IllegalArgumentException("pressure test " + name + ": warm-up must be >= 0");
      }
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException(
            "pressure test " + name + ": threads " + threads + " must be 1..1024");
      }
      if (!(maxErrorRatio >= 0 && maxErrorRatio <= 1)) {
        throw new IllegalArgumentException(
            "pressure test " + name + ": the error ratio " + maxErrorRatio + " must be 0..1");
      }
      return new PressureTest(this);
    }
  }
}
