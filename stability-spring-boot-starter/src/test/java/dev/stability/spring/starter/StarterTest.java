package dev.stability.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.StabilityRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/** The starter alone, as an application adds it: no Actuator, no web stack. */
class StarterTest {

  @SpringBootApplication
  static class App {}

  @Test
  void starterAloneBuildsTheRuntimeFromPropertiesWithoutActuatorOrWeb() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(
            ClassUtils.isPresent("org.springframework.boot.actuate.health.HealthIndicator", loader))
        .isFalse();
    assertThat(ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", loader))
        .isFalse();

    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    StabilityRuntime runtime;
    try (ConfigurableApplicationContext context =
        app.run(
            "--stability.identity.system-code=OMS",
            "--stability.identity.subsystem=risk-check",
            "--stability.identity.instance-id=risk-a1",
            "--stability.guards.exchange-link.deadline=50ms")) {
      runtime = context.getBean(StabilityRuntime.class);
      assertThat(runtime.identity().instanceId()).isEqualTo("risk-a1");
      assertThat(runtime.guards().guard("exchange-link").settings().deadline()).isPresent();
    }
    assertThat(runtime.isClosed()).isTrue();
  }
}
