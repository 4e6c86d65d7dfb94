package dev.stability.ops;

import dev.stability.core.StabilityRuntime;
import dev.stability.ops.internal.OpsServer;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The ops endpoint and operator console (R15), on embedded Jetty 12, started from a runtime; the
 * runtime never depends on it. Reads: {@code /health/liveness}, {@code /health/readiness}, {@code
 * /health/trading-readiness} (503 when DOWN), {@code /metrics} (Prometheus text, when the runtime's
 * registry is a Prometheus one), {@code /status}, {@code /guards}, {@code /capacity}, {@code
 * /consistency}, {@code /switchover/readiness}, {@code /operations} (the log's tail), {@code
 * /operations/verify} and {@code /operations/requests}. Changes, each behind a bearer token and
 * recorded in the operation log under the token's operator: {@code POST /guards/<name>/force-open},
 * {@code POST /guards/<name>/reset}, {@code POST /operations/<action>}, {@code POST
 * /operations/requests/<id>/approve}, {@code POST /operations/requests/<id>/perform}. {@code GET /}
 * is the console page.
 *
 * <p>Binds to loopback by default, where reads need no token; beyond loopback it serves HTTPS only
 * unless told otherwise. Repeated bad tokens from one client lock it out (429) for a while; reads
 * on loopback stay answered. Idle and request read timeouts, a connection limit and size limits
 * keep slow or oversized requests from taking it away. Responses are JSON.
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
  public static OpsEndpoint start(StabilityRuntime runtime, OpsEndpointSettings settings) {
    return new OpsEndpoint(OpsServer.start(runtime, settings));
  }

  /** The address it listens on (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:9400/} or {@code https://10.0.0.1:9400/}. */
  public URI uri() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(
        (server.secure() ? "https" : "http") + "://" + host + ":" + address.getPort() + "/");
  }

  /** Stops listening at once, closes every connection and stops its threads. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "OpsEndpoint[" + uri() + "]";
  }
}
