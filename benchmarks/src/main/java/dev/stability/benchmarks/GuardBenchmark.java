package dev.stability.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.node.ClusterNode;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import com.alibaba.csp.sentinel.slots.clusterbuilder.ClusterBuilderSlot;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.guard.CircuitState;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.BulkheadSettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * Cost of one successful call through a circuit breaker, the Stability guard against Resilience4j,
 * Sentinel and Failsafe, in the same run. Run it once per thread count ({@code -t 1}, {@code -t
 * 2}); every state is {@link Scope#Benchmark}, so with two threads both share one breaker, as two
 * request threads of a service share the guard of one dependency.
 *
 * <ul>
 *   <li>{@code plainCall}: the work alone, no guard (the floor).
 *   <li>{@code resilience4jBreaker}: a Resilience4j 2.3.0 {@code CircuitBreaker} (count-based
 *       window of 100, the defaults) around the work, {@code CircuitBreaker.decorateCallable} once.
 *   <li>{@code resilience4jBreakerWithMicrometer}: the same, with the breaker's registry bound to a
 *       {@code SimpleMeterRegistry} by {@code TaggedCircuitBreakerMetrics}, which subscribes to the
 *       breaker's events and records every call's outcome and latency in a Micrometer {@code Timer}
 *       ({@code resilience4j.circuitbreaker.calls{kind=successful}}).
 *   <li>{@code stabilityGuard}: a Stability guard with a circuit breaker (count-based window of
 *       100) and a bulkhead of 64, with its built-in metrics ({@code stability.guard.calls},
 *       inflight and state gauges) in a {@code SimpleMeterRegistry}, {@code Guard.decorate} once;
 *       with {@code percentiles=true} also {@code latency-percentiles} (one more atomic increment,
 *       the histogram behind the {@code stability.guard.latency} quantile gauges).
 *   <li>{@code sentinelEntry}: Alibaba Sentinel 1.8.8 {@code SphU.entry}/{@code exit} around the
 *       work, with a QPS flow rule and an exception-ratio degrade rule that never trigger.
 *   <li>{@code failsafeBreaker}: a Failsafe 3.3.2 {@code CircuitBreaker} (50 failures of the last
 *       100 executions, as Resilience4j's defaults), a {@code FailsafeExecutor} and the supplier
 *       built once, {@code executor.get(supplier)} per call.
 *   <li>{@code micrometerTimerRecordCallable}: for reference, {@code Timer.recordCallable} of the
 *       work (two clock reads and one timer update, what a per-call latency metric costs).
 * </ul>
 *
 * <p>The work is the same trivial callable everywhere: it returns a pre-built, non-null result
 * (allocates nothing, writes nothing shared). Logging is pinned to WARN by {@code logback.xml}
 * (Resilience4j logs every call at DEBUG); {@code @Setup} fails the run if DEBUG is on, and checks
 * that each guard really records calls; {@code @TearDown} fails it if a guard refused anything.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardBenchmark {

  static final String NAME = "exchange-link";
  static final int WINDOW = 100;
  static final int BULKHEAD = 64;

  /** The guarded work: returns a pre-built result; the same class for every benchmark. */
  static final class Work implements Callable<Object> {
    private final Object result = new Object();

    @Override
    public Object call() {
      return result;
    }
  }

  /** Fails the run if the backend would log Resilience4j's per-call DEBUG lines. */
  static void requireWarnLogging() {
    for (String logger :
        List.of(
            "io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine",
            "dev.stability",
            "ROOT")) {
      if (LoggerFactory.getLogger(logger).isInfoEnabled()) {
        throw new IllegalStateException(
            "logger "
                + logger
                + " is at INFO or below: the figures would include logging (see logback.xml)");
      }
    }
  }

  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  static void warm(Callable<?> call) throws Exception {
    for (int i = 0; i < 3 * WINDOW; i++) {
      require(call.call() != null, "the decorated call returned null");
    }
  }

  // ------------------------------------------------------------------------------ states

  /** The bare work. */
  @State(Scope.Benchmark)
  public static class Plain {
    Callable<Object> call;

    @Setup
    public void setUp() {
      call = new Work();
    }
  }

  /** Resilience4j circuit breaker, no metrics. */
  @State(Scope.Benchmark)
  public static class Resilience4j {
    CircuitBreaker breaker;
    Callable<Object> call;

    @Setup
    public void setUp() throws Exception {
      requireWarnLogging();
      breaker = CircuitBreaker.of(NAME, r4jConfig());
      call = CircuitBreaker.decorateCallable(breaker, new Work());
      warm(call);
      require(
          breaker.getMetrics().getNumberOfSuccessfulCalls() > 0,
          "resilience4jBreaker: the breaker recorded no call");
    }

    @TearDown
    public void tearDown() {
      requireClosed(breaker);
    }
  }

  static CircuitBreakerConfig r4jConfig() {
    // Spelled out: these are Resilience4j's defaults, and the Stability guard's.
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(WINDOW)
        .minimumNumberOfCalls(WINDOW)
        .failureRateThreshold(50)
        .build();
  }

  static void requireClosed(CircuitBreaker breaker) {
    require(
        breaker.getState() == CircuitBreaker.State.CLOSED
            && breaker.getMetrics().getNumberOfNotPermittedCalls() == 0,
        "the Resilience4j breaker refused calls: " + breaker.getState());
  }

  /** Resilience4j circuit breaker with its tagged Micrometer metrics. */
  @State(Scope.Benchmark)
  public static class Resilience4jMicrometer {
    SimpleMeterRegistry meters;
    CircuitBreaker breaker;
    Callable<Object> call;

    @Setup
    public void setUp() throws Exception {
      requireWarnLogging();
      meters = new SimpleMeterRegistry();
      CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(r4jConfig());
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
      breaker = breakers.circuitBreaker(NAME);
      call = CircuitBreaker.decorateCallable(breaker, new Work());
      warm(call);
      Timer successful =
          meters
              .get("resilience4j.circuitbreaker.calls")
              .tag("name", NAME)
              .tag("kind", "successful")
              .timer();
      require(
          successful.count() == 3 * WINDOW,
          "resilience4jBreakerWithMicrometer: the success timer counted "
              + successful.count()
              + " calls, not "
              + 3 * WINDOW);
    }

    @TearDown
    public void tearDown() {
      requireClosed(breaker);
      meters.close();
    }
  }

  /** The Stability guard: breaker, bulkhead and built-in metrics. */
  @State(Scope.Benchmark)
  public static class Stability {
    /** With {@code latency-percentiles: true}: each call also goes into the latency histogram. */
    @Param({"false", "true"})
    public boolean percentiles;

    SimpleMeterRegistry meters;
    StabilityRuntime runtime;
    Guard guard;
    Callable<Object> call;

    @Setup
    public void setUp() throws Exception {
      requireWarnLogging();
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
              .guard(
                  GuardSettings.builder(NAME)
                      .circuitBreaker(
                          CircuitBreakerSettings.builder()
                              .slidingWindowType(CircuitBreakerSettings.WindowType.COUNT_BASED)
                              .slidingWindowSize(WINDOW)
                              .minimumNumberOfCalls(WINDOW)
                              .failureRateThreshold(50)
                              .build())
                      .bulkhead(BulkheadSettings.of(BULKHEAD))
                      .latencyPercentiles(percentiles)
                      .build())
              .build();
      guard = runtime.guards().guard(NAME);
      call = guard.decorate(new Work());
      warm(call);
      if (percentiles) {
        double median =
            meters
                .get("stability.guard.latency")
                .tag("guard", NAME)
                .tag("quantile", "0.5")
                .gauge()
                .value();
        require(!Double.isNaN(median), "stabilityGuard: stability.guard.latency has no calls");
      }
      double counted = successes();
      require(
          counted == 3 * WINDOW,
          "stabilityGuard: stability.guard.calls{outcome=SUCCESS} counted "
              + counted
              + " calls, not "
              + 3 * WINDOW);
      require(guard.concurrencyLimit() == BULKHEAD, "stabilityGuard: no bulkhead");
    }

    double successes() {
      return meters
          .get("stability.guard.calls")
          .tag("guard", NAME)
          .tag("outcome", "SUCCESS")
          .functionTimer()
          .count();
    }

    @TearDown
    public void tearDown() {
      double rejected =
          meters
              .get("stability.guard.calls")
              .tag("guard", NAME)
              .tag("outcome", "REJECTED")
              .functionTimer()
              .count();
      require(
          guard.circuitState() == CircuitState.CLOSED && rejected == 0 && guard.inflight() == 0,
          "stabilityGuard: the guard refused calls or leaked permits: " + guard);
      runtime.close();
      meters.close();
    }
  }

  /** Sentinel with a flow rule and a degrade rule that never trigger. */
  @State(Scope.Benchmark)
  public static class Sentinel {
    Path logDir;
    Callable<Object> call;

    @Setup
    public void setUp() throws Exception {
      requireWarnLogging();
      // Sentinel writes its record, block and metrics logs under ~/logs/csp by default; it reads
      // these system properties (LogBase, SentinelConfig) when its classes are first loaded.
      logDir = Files.createTempDirectory("stability-bench-sentinel-");
      System.setProperty("csp.sentinel.log.dir", logDir.toString());
      System.setProperty("csp.sentinel.log.level", "WARNING");
      System.setProperty("csp.sentinel.app.name", "stability-benchmarks");
      Path dir = logDir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));

      FlowRule flow = new FlowRule(NAME);
      flow.setGrade(RuleConstant.FLOW_GRADE_QPS).setCount(1_000_000_000d);
      FlowRuleManager.loadRules(List.of(flow));
      DegradeRule degrade =
          new DegradeRule(NAME)
              .setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO)
              .setCount(0.5)
              .setMinRequestAmount(WINDOW)
              .setStatIntervalMs(1000)
              .setTimeWindow(60);
      DegradeRuleManager.loadRules(List.of(degrade));
      require(
          FlowRuleManager.hasConfig(NAME) && DegradeRuleManager.hasConfig(NAME),
          "sentinelEntry: rules not loaded");
      call = new Work();
      for (int i = 0; i < 3 * WINDOW; i++) {
        entry(call);
      }
      ClusterNode node = ClusterBuilderSlot.getClusterNode(NAME);
      require(node != null && node.totalSuccess() > 0, "sentinelEntry: Sentinel counted nothing");
    }

    @TearDown
    public void tearDown() {
      ClusterNode node = ClusterBuilderSlot.getClusterNode(NAME);
      require(node.blockRequest() == 0, "sentinelEntry: Sentinel blocked calls");
    }
  }

  /** Sentinel's documented pattern: entry, call, trace a failure, exit. */
  static Object entry(Callable<Object> call) throws Exception {
    Entry entry = null;
    try {
      entry = SphU.entry(NAME);
      return call.call();
    } catch (BlockException refused) {
      throw refused;
    } catch (Exception | Error e) {
      Tracer.traceEntry(e, entry);
      throw e;
    } finally {
      if (entry != null) {
        entry.exit();
      }
    }
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Failsafe circuit breaker behind a pre-built executor. */
  @State(Scope.Benchmark)
  public static class FailsafeBreaker {
    dev.failsafe.CircuitBreaker<Object> breaker;
    FailsafeExecutor<Object> executor;
    CheckedSupplier<Object> call;

    @Setup
    public void setUp() {
      requireWarnLogging();
      breaker =
          dev.failsafe.CircuitBreaker.builder()
              .withFailureThreshold(WINDOW / 2, WINDOW)
              .withDelay(Duration.ofSeconds(60))
              .build();
      executor = Failsafe.with(breaker);
      Work work = new Work();
      call = work::call;
      for (int i = 0; i < 3 * WINDOW; i++) {
        require(executor.get(call) != null, "failsafeBreaker: null result");
      }
      require(breaker.getSuccessCount() > 0, "failsafeBreaker: the breaker recorded nothing");
    }

    @TearDown
    public void tearDown() {
      require(breaker.isClosed(), "failsafeBreaker: the breaker left the closed state");
    }
  }

  /** A Micrometer timer, for reference. */
  @State(Scope.Benchmark)
  public static class MicrometerTimer {
    SimpleMeterRegistry meters;
    Timer timer;
    Callable<Object> call;

    @Setup
    public void setUp() {
      meters = new SimpleMeterRegistry();
      timer = Timer.builder("work").tag("kind", "successful").register(meters);
      call = new Work();
    }

    @TearDown
    public void tearDown() {
      meters.close();
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /** The work alone. */
  @Benchmark
  public Object plainCall(Plain state) throws Exception {
    return state.call.call();
  }

  /** Resilience4j breaker, decorated once. */
  @Benchmark
  public Object resilience4jBreaker(Resilience4j state) throws Exception {
    return state.call.call();
  }

  /** Resilience4j breaker with TaggedCircuitBreakerMetrics, decorated once. */
  @Benchmark
  public Object resilience4jBreakerWithMicrometer(Resilience4jMicrometer state) throws Exception {
    return state.call.call();
  }

  /** Stability guard (breaker, bulkhead, metrics), decorated once. */
  @Benchmark
  public Object stabilityGuard(Stability state) throws Exception {
    return state.call.call();
  }

  /** Sentinel entry/exit with rules that never trigger. */
  @Benchmark
  public Object sentinelEntry(Sentinel state) throws Exception {
    return entry(state.call);
  }

  /** Failsafe breaker through a pre-built executor. */
  @Benchmark
  public Object failsafeBreaker(FailsafeBreaker state) {
    return state.executor.get(state.call);
  }

  /** Micrometer Timer.recordCallable of the work, for reference. */
  @Benchmark
  public Object micrometerTimerRecordCallable(MicrometerTimer state) throws Exception {
    return state.timer.recordCallable(state.call);
  }
}
