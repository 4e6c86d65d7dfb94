package dev.stability.benchmarks;

import dev.stability.api.ServiceIdentity;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording one unit of work on a capacity indicator ({@code CapacityIndicator.record()},
 * the call an application makes on its order path), against the counters a user would otherwise
 * write, in the same run. Run it once per thread count ({@code -t 1}, {@code -t 2}); every state is
 * {@link Scope#Benchmark}, so with two threads both record into one shared counter, as two order
 * threads of a service record into one {@code orders} indicator.
 *
 * <ul>
 *   <li>{@code indicatorRecord}: {@code indicator.record()} on the {@code orders} indicator of a
 *       {@code StabilityRuntime} built with {@code .capacity(CapacitySettings.builder()
 *       .indicators("orders").build())}, its metrics in a {@code SimpleMeterRegistry} and its
 *       once-a-second sampler running on the runtime's timer thread, as in production. The
 *       implementation is one {@code LongAdder.increment()} behind an interface call.
 *   <li>{@code indicatorRecordBatch}: {@code indicator.record(10)} on the same kind of indicator (a
 *       batch of messages: a sign check and one {@code LongAdder.add}).
 *   <li>{@code longAdderIncrement}: a raw {@link LongAdder#increment()} (the floor: what the SDK
 *       does, without the interface call).
 *   <li>{@code atomicLongIncrement}: {@link AtomicLong#incrementAndGet()} (the naive counter: one
 *       contended cache line at 2 threads).
 *   <li>{@code micrometerCounterIncrement}: {@code Counter.increment()} of a Micrometer counter
 *       registered in a {@code SimpleMeterRegistry} (a {@code DoubleAdder} underneath): what a user
 *       would otherwise write to count orders.
 * </ul>
 *
 * <p>Every counter is built once in {@code @Setup}; only the increment is measured. Increments have
 * side effects on shared state, so the benchmarks return nothing. {@code @Setup} records 1000 units
 * and checks that they are visible through the SDK's own metric ({@code
 * stability.capacity.units{indicator=orders}}); {@code @TearDown} fails the run if a counter did
 * not move.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CapacityBenchmark {

  static final String INDICATOR = "orders";
  static final int WARM = 1000;
  static final long BATCH = 10;

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  // ------------------------------------------------------------------------------ states

  /** A runtime with one capacity indicator, its meters in a SimpleMeterRegistry. */
  @State(Scope.Benchmark)
  public static class Stability {
    SimpleMeterRegistry meters;
    StabilityRuntime runtime;
    CapacityIndicator indicator;

    @Setup
    public void setUp() {
      meters = new SimpleMeterRegistry();
      ServiceIdentity identity =
          ServiceIdentity.builder()
              .systemCode("OMS")
              .subsystem("order-entry")
              .instanceId("oms-bench-01")
              .build();
      runtime =
          StabilityRuntime.builder(identity)
              .meterRegistry(meters)
              .slf4jOutput(false)
              .capacity(CapacitySettings.builder().indicators(INDICATOR).build())
              .build();
      indicator = runtime.capacity().indicator(INDICATOR);
      for (int i = 0; i < WARM; i++) {
        indicator.record();
      }
      double counted =
          meters
              .get("stability.capacity.units")
              .tag("indicator", INDICATOR)
              .functionCounter()
              .count();
      require(
          indicator.total() == WARM && counted == WARM,
          "indicatorRecord: the indicator counted "
              + indicator.total()
              + " units (metric "
              + counted
              + "), not "
              + WARM);
    }

    @TearDown
    public void tearDown() {
      require(indicator.total() > WARM, "indicatorRecord: the indicator recorded nothing");
      runtime.close();
      meters.close();
    }
  }

  /** A raw LongAdder. */
  @State(Scope.Benchmark)
  public static class Adder {
    LongAdder adder;

    @Setup
    public void setUp() {
      adder = new LongAdder();
    }

    @TearDown
    public void tearDown() {
      require(adder.sum() > 0, "longAdderIncrement: the adder counted nothing");
    }
  }

  /** A raw AtomicLong. */
  @State(Scope.Benchmark)
  public static class Atomic {
    AtomicLong counter;

    @Setup
    public void setUp() {
      counter = new AtomicLong();
    }

    @TearDown
    public void tearDown() {
      require(counter.get() > 0, "atomicLongIncrement: the counter counted nothing");
    }
  }

  /** A Micrometer counter in a SimpleMeterRegistry. */
  @State(Scope.Benchmark)
  public static class MicrometerCounter {
    SimpleMeterRegistry meters;
    Counter counter;

    @Setup
    public void setUp() {
      meters = new SimpleMeterRegistry();
      counter = Counter.builder("orders").tag("kind", "accepted").register(meters);
    }

    @TearDown
    public void tearDown() {
      require(counter.count() > 0, "micrometerCounterIncrement: the counter counted nothing");
      meters.close();
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** The SDK's hot path: one unit on a capacity indicator. */
  @Benchmark
  public void indicatorRecord(Stability state) {
    state.indicator.record();
  }

  /** The SDK's batch form: ten units at once. */
  @Benchmark
  public void indicatorRecordBatch(Stability state) {
    state.indicator.record(BATCH);
  }

  /** A raw LongAdder increment (what record() does inside). */
  @Benchmark
  public void longAdderIncrement(Adder state) {
    state.adder.increment();
  }

  /** AtomicLong.incrementAndGet. */
  @Benchmark
  public void atomicLongIncrement(Atomic state) {
    state.counter.incrementAndGet();
  }

  /** A Micrometer counter, what a user would otherwise write. */
  @Benchmark
  public void micrometerCounterIncrement(MicrometerCounter state) {
    state.counter.increment();
  }
}
