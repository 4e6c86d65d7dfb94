package ${package};

import dev.stability.api.ServiceIdentity;
import dev.stability.api.health.HealthKind;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.GuardDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service: one {@link StabilityRuntime} with the guards of {@code guards.yaml}, the
 * order gateway on it, and the readiness report in the log (one JSON line per record, through the
 * SDK's encoder in {@code logback.xml}).
 */
public final class Application {

  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private Application() {}

  /** Runs the service once: starts it, sends one order, logs readiness, stops. */
  public static void main(String[] args) throws Exception {
    try (StabilityRuntime runtime = start(identity())) {
      OrderGateway gateway = new OrderGateway(runtime, new SimulatedExchange());
      log.info("order O-1: {}", gateway.submit("O-1"));
      log.info("readiness: {}", runtime.health().report(HealthKind.READINESS).status());
    }
  }

  /** This process's identity; the instance id comes from {@code -Dinstance=...}. */
  static ServiceIdentity identity() {
    return ServiceIdentity.builder()
        .systemCode("${systemCode}")
        .subsystem("${artifactId}")
        .instanceId(System.getProperty("instance", "${artifactId}-1"))
        .build();
  }

  /**
   * The runtime with every guard of the class path's {@code guards.yaml}.
   *
   * @throws dev.stability.api.ConfigurationException naming the guard, key, value and rule of a bad
   *     guard document
   */
  static StabilityRuntime start(ServiceIdentity identity) {
    StabilityRuntime.Builder builder = StabilityRuntime.builder(identity);
    GuardDocuments.parse(resource("guards.yaml"), GuardDocuments.Format.YAML)
        .forEach(builder::guard);
    return builder.build();
  }

  private static String resource(String name) {
    try (InputStream in = Application.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }
}
