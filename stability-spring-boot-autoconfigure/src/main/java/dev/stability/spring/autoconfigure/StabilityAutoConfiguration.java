package dev.stability.spring.autoconfigure;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.health.HealthCheck;
import dev.stability.core.StabilityRuntime;
import dev.stability.ops.OpsEndpoint;
import dev.stability.spring.autoconfigure.internal.GuardProperties;
import dev.stability.spring.autoconfigure.internal.GuardedMethodPostProcessor;
import dev.stability.spring.autoconfigure.internal.LogbackJsonSwitch;
import dev.stability.spring.autoconfigure.internal.OpsSettingsFactory;
import dev.stability.spring.autoconfigure.internal.PropertySettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Builds the application's one {@link StabilityRuntime} from {@code stability.*}: the identity, the
 * guards (read as a guard document), health, capacity and operations settings, every {@link
 * HealthCheck} bean, and the application's {@code MeterRegistry} when there is one (Actuator's, so
 * SDK meters appear under {@code /actuator/prometheus}). The runtime is closed when the context
 * closes, after the web server has stopped taking and finishing requests. Every bean backs off when
 * the application defines its own; {@code stability.enabled=false} switches the starter off.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "stability", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(StabilityProperties.class)
public class StabilityAutoConfiguration {

  /** Created by Spring. */
  public StabilityAutoConfiguration() {}

  /**
   * The service identity from {@code stability.identity.*}; not needed, and not built, when the
   * application defines its own identity or its own runtime.
   */
  @Bean
  @ConditionalOnMissingBean({ServiceIdentity.class, StabilityRuntime.class})
  public ServiceIdentity stabilityServiceIdentity(StabilityProperties properties) {
    return PropertySettings.identity(properties.identity());
  }

  /**
   * The runtime: properties first, then every {@link StabilityRuntimeCustomizer} in order.
   *
   * @throws dev.stability.api.ConfigurationException naming the property and rule of a bad value
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public StabilityRuntime stabilityRuntime(
      ServiceIdentity identity,
      StabilityProperties properties,
      Environment environment,
      ObjectProvider<MeterRegistry> registry,
      ObjectProvider<HealthCheck> healthChecks,
      ObjectProvider<StabilityRuntimeCustomizer> customizers) {
    StabilityRuntime.Builder builder =
        StabilityRuntime.builder(identity)
            .health(PropertySettings.health(properties.health()))
            .capacity(PropertySettings.capacity(properties.capacity()))
            .operations(PropertySettings.operations(properties.operations()));
    GuardProperties.read(environment).forEach(builder::guard);
    MeterRegistry meters = registry.getIfUnique();
    if (meters != null) {
      builder.meterRegistry(meters);
    }
    healthChecks.orderedStream().forEach(builder::healthCheck);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** Proxies beans with {@code @Guarded} methods. */
  @Bean
  @ConditionalOnMissingBean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static GuardedMethodPostProcessor stabilityGuardedMethodPostProcessor(
      ObjectProvider<StabilityRuntime> runtime) {
    return new GuardedMethodPostProcessor(runtime);
  }

  /**
   * The SDK's own ops endpoint ({@code stability-ops}), when {@code stability.ops.enabled=true}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.stability.ops.OpsEndpoint")
  @ConditionalOnProperty(prefix = "stability.ops", name = "enabled", havingValue = "true")
  static class OpsEndpointConfiguration {

    /** The endpoint, started on the runtime. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public OpsEndpoint stabilityOpsEndpoint(
        StabilityRuntime runtime, StabilityProperties properties) {
      return OpsEndpoint.start(runtime, OpsSettingsFactory.ops(properties.ops()));
    }
  }

  /** The JSON log encoder on Logback's appenders, when {@code stability.logging.json=true}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
  @ConditionalOnProperty(prefix = "stability.logging", name = "json", havingValue = "true")
  static class LogbackJsonConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogbackJsonSwitch stabilityLogbackJsonSwitch(StabilityRuntime runtime) {
      return new LogbackJsonSwitch(runtime.identity());
    }
  }
}
