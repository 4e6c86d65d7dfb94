package dev.stability.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.spring.autoconfigure.StabilityAutoConfiguration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What Actuator shows of the runtime, its conditions and back-off. */
class StabilityActuatorAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  StabilityAutoConfiguration.class,
                  StabilityActuatorAutoConfiguration.class,
                  ApplicationAvailabilityAutoConfiguration.class,
                  AvailabilityHealthContributorAutoConfiguration.class,
                  AvailabilityProbesAutoConfiguration.class,
                  EndpointAutoConfiguration.class,
                  HealthContributorAutoConfiguration.class,
                  HealthEndpointAutoConfiguration.class))
          .withPropertyValues(
              "stability.identity.system-code=OMS",
              "stability.identity.subsystem=order-entry",
              "stability.identity.instance-id=oms-a1",
              "stability.health.cache-for=0s",
              "stability.health.built-in-checks=false",
              "management.endpoints.web.exposure.include=health,tradingreadiness");

  /** Readiness checks whose answers a test sets. */
  @Configuration(proxyBeanMethods = false)
  static class Checks {
    static final AtomicReference<HealthResult> venue = new AtomicReference<>(HealthResult.up());
    static final AtomicReference<HealthResult> dropCopy = new AtomicReference<>(HealthResult.up());

    @Bean
    HealthCheck venue() {
      return HealthCheck.of("venue", HealthKind.READINESS, 1, venue::get);
    }

    @Bean
    HealthCheck dropCopy() {
      return HealthCheck.of("drop-copy", HealthKind.READINESS, 2, dropCopy::get);
    }
  }

  @Test
  void showsLivenessAndReadinessIndicatorsAndTheTradingReadinessEndpoint() {
    runner.run(
        context -> {
          assertThat(context).hasBean("stabilityLivenessHealthIndicator");
          assertThat(context).hasBean("stabilityReadinessHealthIndicator");
          assertThat(context).hasSingleBean(TradingReadinessEndpoint.class);
          assertThat(
                  context
                      .getBean("stabilityReadinessHealthIndicator", StabilityHealthIndicator.class)
                      .kind())
              .isEqualTo(HealthKind.READINESS);
        });
  }

  @Test
  void gradeOneCheckDownTakesReadinessDownAndALowerGradeOnlyDegradesIt() {
    runner
        .withUserConfiguration(Checks.class)
        .run(
            context -> {
              HealthIndicator readiness =
                  context.getBean("stabilityReadinessHealthIndicator", HealthIndicator.class);
              try {
                assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);

                Checks.dropCopy.set(HealthResult.down("drop copy session lost"));
                Health degraded = readiness.health();
                assertThat(degraded.getStatus()).isEqualTo(Status.UP);
                assertThat(degraded.getDetails()).containsEntry("stability", "DEGRADED");

                Checks.venue.set(HealthResult.down("venue gateway refused logon"));
                Health down = readiness.health();
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> checks =
                    (Map<String, Map<String, Object>>) down.getDetails().get("checks");
                assertThat(checks.get("venue"))
                    .containsEntry("status", "DOWN")
                    .containsEntry("grade", 1)
                    .containsEntry("reason", "venue gateway refused logon");
              } finally {
                Checks.venue.set(HealthResult.up());
                Checks.dropCopy.set(HealthResult.up());
              }
            });
  }

  @Test
  void sdkIndicatorsJoinTheProbeGroupsWhenProbesAreOn() {
    runner
        .withPropertyValues("management.endpoint.health.probes.enabled=true")
        .run(
            context -> {
              HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
              assertThat(context).hasSingleBean(StabilityProbeGroups.class);
              assertThat(groups.getNames()).contains("liveness", "readiness");
              assertThat(groups.get("liveness").isMember("stabilityLiveness"))
                  .as(groups.get("liveness").getClass().getName())
                  .isTrue();
              assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
              assertThat(groups.get("liveness").isMember("stabilityReadiness")).isFalse();
              assertThat(groups.get("readiness").isMember("stabilityReadiness")).isTrue();
              assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
            });
  }

  @Test
  void probeGroupsStayAsTheyAreWhenSwitchedOff() {
    runner
        .withPropertyValues(
            "management.endpoint.health.probes.enabled=true", "stability.health.probe-groups=false")
        .run(
            context -> {
              HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
              assertThat(groups.get("readiness").isMember("stabilityReadiness")).isFalse();
              assertThat(context).hasBean("stabilityReadinessHealthIndicator");
            });
  }

  @Test
  void healthIndicatorsBackOffWhenDisabled() {
    runner
        .withPropertyValues("management.health.stability.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(StabilityHealthIndicator.class);
              assertThat(context).hasSingleBean(TradingReadinessEndpoint.class);
            });
  }

  @Test
  void backsOffForTheApplicationsOwnBeans() {
    runner
        .withUserConfiguration(Own.class)
        .run(
            context -> {
              assertThat(context.getBean(TradingReadinessEndpoint.class))
                  .isSameAs(context.getBean("ownEndpoint"));
              assertThat(context.getBean("stabilityReadinessHealthIndicator"))
                  .isInstanceOf(OwnIndicator.class);
            });
  }

  @Test
  void nothingOfActuatorWithoutActuator() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                StabilityAutoConfiguration.class, StabilityActuatorAutoConfiguration.class))
        .withPropertyValues(
            "stability.identity.system-code=OMS",
            "stability.identity.subsystem=order-entry",
            "stability.identity.instance-id=oms-a1")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(StabilityRuntime.class);
              assertThat(context).doesNotHaveBean(StabilityActuatorAutoConfiguration.class);
              assertThat(context).doesNotHaveBean("stabilityReadinessHealthIndicator");
            });
  }

  @Test
  void tradingReadinessEndpointNeedsExposing() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=health")
        .run(context -> assertThat(context).doesNotHaveBean(TradingReadinessEndpoint.class));
  }

  @Test
  void nothingOfActuatorWithoutARuntime() {
    runner
        .withPropertyValues("stability.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TradingReadinessEndpoint.class));
  }

  static class OwnIndicator implements HealthIndicator {
    @Override
    public Health health() {
      return Health.up().build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Own {
    @Bean
    TradingReadinessEndpoint ownEndpoint(StabilityRuntime runtime) {
      return new TradingReadinessEndpoint(runtime);
    }

    @Bean
    HealthIndicator stabilityReadinessHealthIndicator() {
      return new OwnIndicator();
    }
  }
}
