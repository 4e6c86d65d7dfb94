package dev.stability.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.event.logback.StabilityJsonEncoder;
import dev.stability.core.guard.GuardSettings;
import dev.stability.spring.autoconfigure.internal.GuardedMethodPostProcessor;
import dev.stability.spring.autoconfigure.internal.LogbackJsonSwitch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Conditions and back-off of the runtime's auto-configuration. */
class StabilityAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
          .withPropertyValues(StabilityPropertiesTest.IDENTITY);

  @Test
  void buildsOneRuntimeAndClosesItWithTheContext() {
    AtomicReference<StabilityRuntime> seen = new AtomicReference<>();
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(StabilityRuntime.class);
          assertThat(context).hasSingleBean(GuardedMethodPostProcessor.class);
          seen.set(context.getBean(StabilityRuntime.class));
          assertThat(seen.get().isClosed()).isFalse();
        });
    assertThat(seen.get().isClosed()).isTrue();
  }

  @Test
  void switchedOffByStabilityEnabledFalse() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
        .withPropertyValues("stability.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed(); // no identity needed when off
              assertThat(context).doesNotHaveBean(StabilityRuntime.class);
              assertThat(context).doesNotHaveBean(GuardedMethodPostProcessor.class);
            });
  }

  @Test
  void backsOffForTheApplicationsOwnRuntimeWhichNeedsNoIdentityProperties() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
        .withPropertyValues("stability.logging.json=true")
        .withUserConfiguration(OwnRuntime.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(StabilityRuntime.class);
              assertThat(context.getBean(StabilityRuntime.class).identity().systemCode())
                  .isEqualTo("OWN");
              assertThat(context).doesNotHaveBean("stabilityServiceIdentity");
              assertThat(context).hasSingleBean(LogbackJsonSwitch.class); // from the own runtime
            });
  }

  @Test
  void backsOffForTheApplicationsOwnIdentity() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
        .withUserConfiguration(OwnIdentity.class)
        .run(
            context ->
                assertThat(context.getBean(StabilityRuntime.class).identity().systemCode())
                    .isEqualTo("OWN"));
  }

  @Test
  void publishesIntoTheApplicationsMeterRegistry() {
    runner
        .withUserConfiguration(Registry.class)
        .withPropertyValues("stability.guards.exchange-link.deadline=1s")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(runtime.meterRegistry()).isSameAs(registry);
              runtime.guards().guard("exchange-link").call(() -> "ack");
              assertThat(
                      registry.find("stability.guard.calls").tag("guard", "exchange-link").meters())
                  .isNotEmpty();
            });
  }

  @Test
  void keepsItsOwnRegistryWithoutOne() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(MeterRegistry.class);
          assertThat(context.getBean(StabilityRuntime.class).meterRegistry())
              .isInstanceOf(SimpleMeterRegistry.class);
        });
  }

  @Test
  void registersHealthCheckBeans() {
    runner
        .withUserConfiguration(Checks.class)
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.health().check("reference-data").status())
                  .isEqualTo(HealthStatus.DOWN);
              assertThat(runtime.health().check("reference-data").reason())
                  .isEqualTo("no instruments loaded");
            });
  }

  @Test
  void appliesCustomizersAfterTheProperties() {
    runner
        .withUserConfiguration(Customizer.class)
        .run(
            context ->
                assertThat(
                        context.getBean(StabilityRuntime.class).guards().guard("from-code").name())
                    .isEqualTo("from-code"));
  }

  @Test
  void worksWithoutActuatorAndWithoutTheWebStack() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.actuate", "org.springframework.web", "jakarta.servlet"))
        .withPropertyValues("stability.guards.exchange-link.deadline=1s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(StabilityRuntime.class).guards().all())
                  .extracting(g -> g.name())
                  .contains("exchange-link");
            });
  }

  @Test
  void jsonLoggingPutsTheSdkEncoderOnLogbackAndCarriesTheTraceIdIntoSeq() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    runner
        .withPropertyValues("stability.logging.json=true")
        .run(
            context -> {
              LogbackJsonSwitch json = context.getBean(LogbackJsonSwitch.class);
              assertThat(json.replaced()).isNotEmpty();
              OutputStreamAppender<ILoggingEvent> console =
                  json.replaced().keySet().iterator().next();
              assertThat(console.getEncoder()).isInstanceOf(StabilityJsonEncoder.class);
              LoggingEvent event =
                  new LoggingEvent(
                      getClass().getName(),
                      logback.getLogger("com.example.Orders"),
                      Level.WARN,
                      "order rejected",
                      null,
                      null);
              event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
              String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
              assertThat(line)
                  .contains("\"seq\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
                  .contains("\"system\":\"OMS\"")
                  .contains("order rejected");
            });
    OutputStreamAppender<?> console =
        (OutputStreamAppender<?>) logback.getLogger("ROOT").getAppender("CONSOLE");
    assertThat(console.getEncoder()).isNotInstanceOf(StabilityJsonEncoder.class);
  }

  @Test
  void jsonLoggingIsOffByDefault() {
    runner.run(context -> assertThat(context).doesNotHaveBean(LogbackJsonSwitch.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRuntime {
    @Bean(destroyMethod = "close")
    StabilityRuntime ownRuntime() {
      return StabilityRuntime.builder(own()).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnIdentity {
    @Bean
    ServiceIdentity ownIdentity() {
      return own();
    }
  }

  static ServiceIdentity own() {
    return ServiceIdentity.builder().systemCode("OWN").subsystem("own").instanceId("own-1").build();
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Checks {
    @Bean
    HealthCheck referenceData() {
      return HealthCheck.of(
          "reference-data",
          HealthKind.READINESS,
          1,
          () -> HealthResult.down("no instruments loaded"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizer {
    @Bean
    StabilityRuntimeCustomizer fromCode() {
      return builder -> builder.guard(GuardSettings.builder("from-code").build());
    }
  }
}
