package dev.stability.core.endpoint;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.endpoint.internal.OpsServer;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The embedded HTTP ops endpoint (R15), built on the JDK's HTTP server and started from a runtime;
 * the runtime never depends on it. Reads: {@code /health/liveness}, {@code /health/readiness},
 * {@code /health/trading-readiness} (503 when DOWN), {@code /metrics} (Prometheus text, when the
 * runtime's registry is a Prometheus one), {@code /guards}, {@code /capacity}, {@code /operations}
 * (the log's tail) and {@code /operations/verify}. Changes, each behind a bearer token and recorded
 * in the operation log under the token's operator: {@code POST /guards/<name>/force-open}, {@code
 * POST /guards/<name>/reset}, {@code POST /operations/<action>}, {@code POST
 * /operations/requests/<id>/approve}, {@code POST /operations/requests/<id>/perform}.
 *
 * <p>Binds to loopback by default, where reads need no token. Repeated bad tokens from one client
 * lock it out (429) for a while. Responses are JSON; status codes 200, 202, 400, 401, 403, 404,
 * 405, 429, 501 and 503.
 *
 * <pre>{@code
 * try (OpsEndpoint ops = OpsEndpoint.start(runtime, OpsEndpointSettings.builder()
 *     .port(9400).token("zhang.san", System.getenv("OPS_TOKEN_ZHANG")).build())) {
 *   log.info("ops endpoint at {}", ops.uri());
 * }
 * }</pre>
 */
public final class OpsEndpoint implements AutoCloseable {

  private final OpsServer server;

  private OpsEndpoint(OpsServer server) {
    this.server = server;
  }

  /**
   * Starts the endpoint for {@code runtime}.
   *
   * @throws java.io.UncheckedIOException if the address cannot be bound
   */
  public static OpsEndpoint start(StabilityRuntime runtime, OpsEndpointSettings options) {
    return new OpsEndpoint(OpsServer.start(runtime, options));
  }

  /** The address it listens on (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:9400/}. */
  public URI uri() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort() + "/");
  }

  /** Stops listening at once and stops its threads. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "OpsEndpoint[" + uri() + "]";
  }
}
