package dev.stability.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stability.api.event.StabilityEventCode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs a sample class with JUnit's parallel execution on and checks no test saw another's runtime.
 */
class ParallelIsolationTest {

  static final Set<String> INSTANCES = ConcurrentHashMap.newKeySet();
  static final CountDownLatch ALL_STARTED = new CountDownLatch(4);

  /** Four tests that run at the same time, each publishing its own marker. */
  @StabilityTest
  @Execution(ExecutionMode.CONCURRENT)
  static class Sample {
    private static void run(TestRuntime test, String marker) throws Exception {
      ALL_STARTED.countDown();
      assertThat(ALL_STARTED.await(10, TimeUnit.SECONDS)).as("tests ran concurrently").isTrue();
      INSTANCES.add(test.runtime().identity().instanceId());
      test.runtime().events().publish(StabilityEventCode.APP_LOG, marker);
      test.expectEvent(StabilityEventCode.APP_LOG).times(1); // only its own marker
      assertThat(
              test.expectEvent(StabilityEventCode.APP_LOG).within(Duration.ofSeconds(1)).message())
          .isEqualTo(marker);
    }

    @Test
    void a(TestRuntime test) throws Exception {
      run(test, "a");
    }

    @Test
    void b(TestRuntime test) throws Exception {
      run(test, "b");
    }

    @Test
    void c(TestRuntime test) throws Exception {
      run(test, "c");
    }

    @Test
    void d(TestRuntime test) throws Exception {
      run(test, "d");
    }
  }

  @Test
  void concurrentTestsEachGetTheirOwnRuntime() {
    Events events =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
            .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
            .configurationParameter(
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
            .selectors(selectClass(Sample.class))
            .execute()
            .testEvents();

    events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
    assertThat(INSTANCES).hasSize(4);
  }
}
