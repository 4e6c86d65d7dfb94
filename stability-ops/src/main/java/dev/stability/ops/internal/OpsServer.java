package dev.stability.ops.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import dev.stability.ops.OpsEndpointSettings;
import dev.stability.ops.TlsSettings;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ops endpoint on embedded Jetty 12 (core handler API, no servlets): one connector on its own
 * bounded thread pool, with an idle timeout, a request read timeout, a connection limit, a header
 * size limit and, when configured, TLS. Internal: reached through {@code OpsEndpoint}.
 */
public final class OpsServer implements AutoCloseable {

  /** The console's scripts and styles come from the endpoint only; inline script never runs. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final OpsEndpointSettings options;
  private final SdkMeters meters;
  private final OpsRoutes routes;
  private final ReadTimeouts readTimeouts;
  private final Server server;
  private final ServerConnector connector;

  private OpsServer(StabilityRuntime runtime, OpsEndpointSettings options) throws Exception {
    this.options = options;
    this.meters = new SdkMeters(runtime.meterRegistry(), runtime.identity());
    this.routes = new OpsRoutes(runtime, options, meters);
    String instance = runtime.identity().instanceId();
    this.readTimeouts = new ReadTimeouts(options.requestReadTimeout(), instance);

    QueuedThreadPool threads =
        new QueuedThreadPool(options.maxThreads(), Math.min(4, options.maxThreads()));
    threads.setName("stability-ops-" + instance);
    threads.setDaemon(true);
    this.server = new Server(threads);
    server.setStopAtShutdown(false);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(options.maxHeaderBytes());
    http.setResponseHeaderSize(8 * 1024);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory plain = new HttpConnectionFactory(http);
    ConnectionFactory[] factories =
        options.tls().isPresent()
            ? new ConnectionFactory[] {
              new SslConnectionFactory(sslContext(options.tls().get()), plain.getProtocol()), plain
            }
            : new ConnectionFactory[] {plain};
    this.connector = new ServerConnector(server, 1, 1, factories);
    connector.setHost(options.address().getHostAddress());
    connector.setPort(options.port());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setAcceptQueueSize(256);
    connector.addEventListener(readTimeouts);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));
    server.setErrorHandler(new JsonErrors(options));
    server.setHandler(new OpsHandler());
    try {
      server.start();
    } catch (Exception e) {
      // A port in use: no thread of this server may stay behind. Its meters stay: they may be the
      // very meters of another endpoint of the same runtime (a registry returns the same counter).
      try {
        server.stop();
      } finally {
        readTimeouts.close();
      }
      throw e;
    }
  }

  private static SslContextFactory.Server sslContext(TlsSettings tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    char[] password = tls.keyPassword();
    ssl.setKeyStorePassword(new String(password));
    ssl.setKeyManagerPassword(new String(password));
    ssl.setIncludeProtocols(tls.protocols().toArray(String[]::new));
    if (tls.needsClientCertificates()) {
      ssl.setTrustStore(tls.clientTrustStore());
      ssl.setNeedClientAuth(true);
    }
    // Clients reach the endpoint by IP address as often as by name: the certificate's names are
    // the client's business (it verifies them), the server does not refuse on SNI.
    ssl.setSniRequired(false);
    return ssl;
  }

  /**
   * Binds and starts the server, and publishes {@code OPS_ENDPOINT_STARTED} (and {@code
   * OPS_ENDPOINT_PLAIN_HTTP} when plain HTTP was allowed beyond loopback).
   */
  public static OpsServer start(StabilityRuntime runtime, OpsEndpointSettings options) {
    OpsServer server;
    try {
      server = new OpsServer(runtime, options);
    } catch (Exception e) {
      throw new UncheckedIOException(
          "ops endpoint cannot listen on "
              + options.address().getHostAddress()
              + ":"
              + options.port()
              + ": "
              + e.getMessage(),
          e instanceof java.io.IOException io ? io : new java.io.IOException(e));
    }
    InetSocketAddress address = server.address();
    String scheme = options.tls().isPresent() ? "https" : "http";
    runtime
        .events()
        .publish(
            LogRecord.builder(StabilityEventCode.OPS_ENDPOINT_STARTED)
                .message(
                    "ops endpoint listening on "
                        + scheme
                        + "://"
                        + address.getAddress().getHostAddress()
                        + ":"
                        + address.getPort()
                        + "/ ("
                        + options.tokenDigests().size()
                        + " operators may change state)")
                .attr("address", address.getAddress().getHostAddress())
                .attr("port", address.getPort())
                .attr("scheme", scheme));
    if (options.tls().isEmpty() && !options.address().isLoopbackAddress()) {
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.OPS_ENDPOINT_PLAIN_HTTP)
                  .message(
                      "ops endpoint serves plain HTTP on "
                          + address.getAddress().getHostAddress()
                          + ":"
                          + address.getPort()
                          + ", beyond loopback, because the application allowed it: bearer"
                          + " tokens cross the network in clear text; configure TLS")
                  .attr("address", address.getAddress().getHostAddress())
                  .attr("port", address.getPort()));
    }
    return server;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return new InetSocketAddress(options.address(), connector.getLocalPort());
  }

  /** Whether it serves HTTPS. */
  public boolean secure() {
    return options.tls().isPresent();
  }

  /** Stops listening, closes every connection and stops its threads; removes its meters. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping a server whose threads are daemons: nothing is left to release.
    } finally {
      readTimeouts.close();
      meters.close();
    }
  }

  /** The one handler: adapts a Jetty request to the routes and writes the answer. */
  private final class OpsHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Connection connection = request.getConnectionMetaData().getConnection();
      readTimeouts.started(connection);
      Callback done =
          new Callback() {
            @Override
            public void succeeded() {
              readTimeouts.finished(connection);
              callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
              readTimeouts.finished(connection);
              callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
              return callback.getInvocationType();
            }
          };
      OpsCall call =
          new OpsCall(
              request.getMethod(),
              request.getHttpURI().getDecodedPath(),
              request.getHttpURI().getQuery(),
              request.getHeaders().get(HttpHeader.AUTHORIZATION),
              Request.getRemoteAddr(request),
              () -> formBody(request));
      Answer answer;
      long length = request.getLength();
      if (length > options.maxBodyBytes()) {
        answer =
            Answer.error(
                    413,
                    "content too large",
                    "the request body has "
                        + length
                        + " bytes; at most "
                        + options.maxBodyBytes()
                        + " are accepted")
                .route("other");
        routes.count(answer);
      } else {
        answer = routes.handle(call);
      }
      send(request, response, answer, done);
      return true;
    }
  }

  private String formBody(Request request) throws java.io.IOException {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
      return null;
    }
    int max = options.maxBodyBytes();
    try (InputStream in = Request.asInputStream(request)) {
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw new BadRequest(
            413, "the request body is larger than " + max + " bytes; at most so many are accepted");
      }
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private void send(Request request, Response response, Answer answer, Callback callback) {
    response.setStatus(answer.status);
    HttpFields.Mutable headers = response.getHeaders();
    securityHeaders(headers);
    headers.put(HttpHeader.CONTENT_TYPE, answer.contentType);
    for (Map.Entry<String, String> header : answer.headers.entrySet()) {
      headers.put(header.getKey(), header.getValue());
    }
    headers.put(HttpHeader.CONTENT_LENGTH, answer.body.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? null : ByteBuffer.wrap(answer.body), callback);
  }

  static void securityHeaders(HttpFields.Mutable headers) {
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }

  /** Jetty's own refusals (headers too large, a malformed request) as JSON with a clear message. */
  private static final class JsonErrors extends ErrorHandler {
    private final OpsEndpointSettings options;

    JsonErrors(OpsEndpointSettings options) {
      this.options = options;
    }

    private String message(int status, String reason) {
      return switch (status) {
        case 431 -> "the request's headers are larger than " + options.maxHeaderBytes() + " bytes";
        case 414 -> "the request line is longer than " + options.maxHeaderBytes() + " bytes";
        case 413 -> "the request body is larger than " + options.maxBodyBytes() + " bytes";
        default -> reason == null ? "the request could not be read" : reason;
      };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      Object reason = request.getAttribute(ERROR_MESSAGE);
      Answer answer =
          Answer.error(status, "error", message(status, reason == null ? null : reason.toString()));
      securityHeaders(response.getHeaders());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType);
      response.write(true, ByteBuffer.wrap(answer.body), callback);
      return true;
    }
  }
}
