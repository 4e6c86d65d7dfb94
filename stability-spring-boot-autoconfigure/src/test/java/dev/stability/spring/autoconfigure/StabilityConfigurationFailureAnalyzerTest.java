package dev.stability.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A bad value stops a real application, and Spring Boot's report shows the SDK's message. */
@ExtendWith(OutputCaptureExtension.class)
class StabilityConfigurationFailureAnalyzerTest {

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(StabilityAutoConfiguration.class)
  static class App {}

  @Test
  void badGuardValueStopsStartupAndTheReportShowsKeyValueAndRule(CapturedOutput output) {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    assertThatThrownBy(
            () ->
                app.run(
                    "--stability.identity.system-code=OMS",
                    "--stability.identity.subsystem=order-entry",
                    "--stability.identity.instance-id=oms-a1",
                    "--stability.guards.exchange-link.circuit-breaker.failure-rate-threshold=150",
                    "--logging.level.org.springframework.boot.diagnostics=DEBUG"))
        .hasRootCauseInstanceOf(dev.stability.api.ConfigurationException.class);
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Invalid Stability SDK configuration:")
        .contains("stability.guards.exchange-link.circuit-breaker.failure-rate-threshold = 150.0")
        .contains("Change 'stability.guards.exchange-link.circuit-breaker.failure-rate-threshold'");
  }
}
