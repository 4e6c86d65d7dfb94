package dev.stability.core.endpoint.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.endpoint.OpsEndpointSettings;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.guard.Guard;
import dev.stability.core.health.HealthReport;
import dev.stability.core.internal.DaemonThreads;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.Risk;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Routes, authentication and JSON of the ops endpoint on the JDK HTTP server, two daemon threads.
 * Reads only what the runtime exposes. Internal: reached through {@code OpsEndpoint}.
 */
public final class OpsServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final StabilityRuntime runtime;
  private final OpsEndpointSettings options;
  private final Authenticator auth;
  private final HttpServer server;
  private final ExecutorService executor;
  private final SdkMeters meters;
  private final Counter authFailures;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, OpsEndpointSettings.Action> actions = new LinkedHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final boolean readsNeedToken;
  private HealthReport lastTrading;
  private long lastTradingAt;
  private long authEventAt = Long.MIN_VALUE;
  private long authEventsHeld;

  /** A request waiting for (or holding) its approval, with what the handler will be given. */
  private record Pending(OperationRequest request, Map<String, String> params, Approval approval) {}

  private OpsServer(StabilityRuntime runtime, OpsEndpointSettings options) throws IOException {
    this.runtime = runtime;
    this.options = options;
    this.auth =
        new Authenticator(
            options.tokenDigests(),
            options.maxFailedAttempts(),
            options.failureWindow(),
            options.lockout(),
            runtime.clock());
    this.readsNeedToken = !options.address().isLoopbackAddress();
    this.meters = new SdkMeters(runtime.meterRegistry(), runtime.identity());
    this.authFailures = meters.counter(StabilityMetric.OPS_AUTH_FAILURES);
    actions.put(
        "guard.force-open", new OpsEndpointSettings.Action(Risk.RISKY, p -> guardAction(p, true)));
    actions.put(
        "guard.reset", new OpsEndpointSettings.Action(Risk.RISKY, p -> guardAction(p, false)));
    actions.putAll(options.actions());
    this.executor =
        Executors.newFixedThreadPool(
            2, DaemonThreads.named("stability-ops-" + runtime.identity().instanceId()));
    this.server = HttpServer.create(new InetSocketAddress(options.address(), options.port()), 16);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Binds and starts the server, and publishes {@code OPS_ENDPOINT_STARTED}. */
  public static OpsServer start(StabilityRuntime runtime, OpsEndpointSettings options) {
    OpsServer server;
    try {
      server = new OpsServer(runtime, options);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "ops endpoint cannot listen on "
              + options.address().getHostAddress()
              + ":"
              + options.port()
              + ": "
              + e.getMessage(),
          e);
    }
    InetSocketAddress address = server.address();
    runtime
        .events()
        .publish(
            LogRecord.builder(StabilityEventCode.OPS_ENDPOINT_STARTED)
                .message(
                    "ops endpoint listening on http://"
                        + address.getAddress().getHostAddress()
                        + ":"
                        + address.getPort()
                        + "/ ("
                        + options.tokenDigests().size()
                        + " operators may change state)")
                .attr("address", address.getAddress().getHostAddress())
                .attr("port", address.getPort()));
    return server;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  // ------------------------------------------------------------------------------ routing

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (OperationRefusedException e) {
        response = refused(e);
      } catch (BadRequest e) {
        response = error(400, "bad request", e.getMessage());
      } catch (IllegalArgumentException | IllegalStateException e) {
        response = error(400, "bad request", e.getMessage());
      } catch (RuntimeException e) {
        response = error(500, "internal error", e.toString());
      }
      send(exchange, response);
    }
  }

  private static final java.util.Set<String> HEALTH_KINDS =
      java.util.Set.of("liveness", "readiness", "trading-readiness");

  /**
   * Every route label is a fixed template, so what a client puts in the path can never create new
   * metric series.
   */
  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath(); // already decoded once by the URI
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    Map<String, String> query = new LinkedHashMap<>();
    decode(exchange.getRequestURI().getRawQuery(), query);
    String first = parts.isEmpty() ? "" : parts.get(0);
    switch (first) {
      case "health":
        if (parts.size() == 2 && HEALTH_KINDS.contains(parts.get(1))) {
          String kind = parts.get(1);
          return read(exchange, method, "/health/" + kind, () -> health(kind));
        }
        break;
      case "metrics":
        if (parts.size() == 1) {
          return read(exchange, method, "/metrics", this::metrics);
        }
        break;
      case "guards":
        if (parts.size() == 1) {
          return read(exchange, method, "/guards", this::guards);
        }
        if (parts.size() == 3 && parts.get(2).equals("force-open")) {
          return change(
              exchange,
              method,
              "/guards/{name}/force-open",
              (operator, params) ->
                  startOperation("guard.force-open", operator, withTarget(params, parts.get(1))));
        }
        if (parts.size() == 3 && parts.get(2).equals("reset")) {
          return change(
              exchange,
              method,
              "/guards/{name}/reset",
              (operator, params) ->
                  startOperation("guard.reset", operator, withTarget(params, parts.get(1))));
        }
        break;
      case "capacity":
        if (parts.size() == 1) {
          return read(exchange, method, "/capacity", this::capacity);
        }
        break;
      case "operations":
        if (parts.size() == 1) {
          return read(exchange, method, "/operations", () -> operationsTail(query));
        }
        if (parts.size() == 2 && parts.get(1).equals("verify")) {
          return read(exchange, method, "/operations/verify", this::verify);
        }
        if (parts.size() == 4
            && parts.get(1).equals("requests")
            && parts.get(3).equals("approve")) {
          return change(
              exchange,
              method,
              "/operations/requests/{id}/approve",
              (operator, params) -> approve(parts.get(2), operator));
        }
        if (parts.size() == 4
            && parts.get(1).equals("requests")
            && parts.get(3).equals("perform")) {
          return change(
              exchange,
              method,
              "/operations/requests/{id}/perform",
              (operator, params) -> perform(parts.get(2), operator));
        }
        if (parts.size() == 2) {
          return change(
              exchange,
              method,
              "/operations/{action}",
              (operator, params) -> startOperation(parts.get(1), operator, params));
        }
        break;
      default:
        break;
    }
    return error(404, "not found", "no route " + path + "; see the OpsEndpoint documentation")
        .route("other");
  }

  private interface Read {
    Response get() throws IOException;
  }

  private interface Change {
    Response as(String operator, Map<String, String> params) throws Exception;
  }

  private Response read(HttpExchange exchange, String method, String route, Read read)
      throws IOException {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return error(405, "method not allowed", route + " answers GET")
          .allow("GET, HEAD")
          .route(route);
    }
    if (readsNeedToken) {
      Response refused = authenticate(exchange, route).refusal;
      if (refused != null) {
        return refused;
      }
    }
    return read.get().route(route);
  }

  private Response change(HttpExchange exchange, String method, String route, Change change) {
    if (!method.equals("POST")) {
      return error(405, "method not allowed", route + " answers POST").allow("POST").route(route);
    }
    Authenticated who = authenticate(exchange, route);
    if (who.refusal != null) {
      return who.refusal;
    }
    try {
      // The body is read only once the caller is known.
      return change.as(who.operator, params(exchange)).route(route);
    } catch (OperationRefusedException e) {
      return refused(e).route(route);
    } catch (BadRequest | IllegalArgumentException | IllegalStateException e) {
      return error(400, "bad request", e.getMessage()).route(route);
    } catch (Exception e) {
      return error(500, "operation failed", e.toString()).route(route);
    }
  }

  private record Authenticated(String operator, Response refusal) {}

  private Authenticated authenticate(HttpExchange exchange, String route) {
    String client = exchange.getRemoteAddress().getAddress().getHostAddress();
    Authenticator.Result result =
        auth.authenticate(client, exchange.getRequestHeaders().getFirst("Authorization"));
    switch (result.status()) {
      case OK:
        return new Authenticated(result.operator(), null);
      case LOCKED:
        return new Authenticated(
            null,
            error(
                    429,
                    "too many failed attempts",
                    "this client is locked out for " + result.retryAfterSeconds() + " s")
                .header("Retry-After", String.valueOf(result.retryAfterSeconds()))
                .route(route));
      case MISSING:
      case WRONG:
      default:
        authFailures.increment();
        boolean wrong = result.status() == Authenticator.Status.WRONG;
        long held = authEventDue();
        if (held > 0) {
          runtime
              .events()
              .publish(
                  LogRecord.builder(StabilityEventCode.OPS_ENDPOINT_AUTH_FAILED)
                      .message(
                          (wrong ? "wrong" : "missing")
                              + " bearer token from "
                              + client
                              + " for "
                              + exchange.getRequestMethod()
                              + " "
                              + route
                              + (held > 1
                                  ? " (" + held + " failed requests in the last second)"
                                  : ""))
                      .peer(client)
                      .attr("route", route)
                      .attr("count", held));
        }
        if (wrong && auth.fail(client)) {
          runtime
              .events()
              .publish(
                  LogRecord.builder(StabilityEventCode.OPS_ENDPOINT_LOCKED)
                      .message(
                          "ops endpoint locks out "
                              + client
                              + " for "
                              + options.lockout().toSeconds()
                              + " s after "
                              + options.maxFailedAttempts()
                              + " wrong tokens")
                      .peer(client));
        }
        return new Authenticated(
            null,
            error(
                    401,
                    "unauthorized",
                    (wrong ? "the bearer token is not valid" : "a bearer token is required")
                        + " for "
                        + route)
                .header("WWW-Authenticate", "Bearer realm=\"stability-ops\"")
                .route(route));
    }
  }

  /** At most one auth-failure event a second; returns how many failures it covers, or 0. */
  private synchronized long authEventDue() {
    long now = System.nanoTime();
    authEventsHeld++;
    if (authEventAt != Long.MIN_VALUE && now - authEventAt < 1_000_000_000L) {
      return 0;
    }
    authEventAt = now;
    long held = authEventsHeld;
    authEventsHeld = 0;
    return held;
  }

  // ------------------------------------------------------------------------------ reads

  private Response health(String which) {
    HealthReport report =
        switch (which) {
          case "liveness" -> runtime.health().report(HealthKind.LIVENESS);
          case "readiness" -> runtime.health().report(HealthKind.READINESS);
          default -> tradingReadiness();
        };
    boolean failed =
        which.equals("trading-readiness") ? !report.passed() : report.status() == HealthStatus.DOWN;
    return Response.json(failed ? 503 : 200, report.toJson());
  }

  /**
   * The pre-open run ignores the health cache and publishes an event; over HTTP one run serves
   * every request for five seconds, so polling it cannot flood checks or events.
   */
  private synchronized HealthReport tradingReadiness() {
    long now = runtime.clock().millis();
    if (lastTrading == null || now - lastTradingAt >= 5_000) {
      lastTrading = runtime.health().tradingReadiness();
      lastTradingAt = now;
    }
    return lastTrading;
  }

  private Response metrics() {
    return PrometheusText.scrape(runtime.meterRegistry())
        .map(text -> new Response(200, "text/plain; version=0.0.4; charset=utf-8", text))
        .orElseGet(
            () ->
                error(
                    501,
                    "not implemented",
                    "metrics in Prometheus text need a PrometheusMeterRegistry"
                        + " (micrometer-registry-prometheus) as the runtime's meter registry"));
  }

  private Response guards() throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Guard guard : runtime.guards().all()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("name", guard.name());
      g.put("circuit_state", guard.circuitState().name());
      g.put("inflight", guard.inflight());
      g.put("concurrency_limit", guard.concurrencyLimit());
      g.put("shedding", guard.shedding());
      list.add(g);
    }
    return Response.json(200, JSON.writeValueAsString(Map.of("guards", list)));
  }

  private Response capacity() throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (CapacityIndicator indicator : runtime.capacity().all()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("name", indicator.name());
      i.put("rate", indicator.rate());
      i.put("peak_today", indicator.peakToday());
      i.put("historical_peak", indicator.historicalPeak());
      i.put("tested", indicator.testedCapacity());
      double headroom = indicator.headroom();
      i.put("headroom", Double.isNaN(headroom) ? null : headroom);
      i.put("total", indicator.total());
      list.add(i);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("required_headroom", runtime.capacity().requiredHeadroom());
    body.put("indicators", list);
    return Response.json(200, JSON.writeValueAsString(body));
  }

  private Response operationsTail(Map<String, String> params) throws IOException {
    int limit;
    try {
      limit = Integer.parseInt(params.getOrDefault("limit", "50"));
    } catch (NumberFormatException e) {
      throw new BadRequest("limit must be a number 1..1000, got '" + params.get("limit") + "'");
    }
    if (limit < 1 || limit > 1000) {
      throw new BadRequest("limit must be a number 1..1000, got " + limit);
    }
    List<JsonNode> records = new ArrayList<>();
    for (LogRecord record : runtime.operations().log().tail(limit)) {
      records.add(JSON.readTree(LogRecordFormat.toJson(record)));
    }
    return Response.json(200, JSON.writeValueAsString(Map.of("records", records)));
  }

  private Response verify() throws IOException {
    OperationLog.Verification verification = runtime.operations().log().verify();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("intact", verification.intact());
    body.put("records", verification.records());
    body.put("files", verification.files());
    verification
        .problem()
        .ifPresent(
            p -> {
              Map<String, Object> problem = new LinkedHashMap<>();
              problem.put("file", String.valueOf(p.file()));
              problem.put("line", p.line());
              problem.put("op_seq", p.opSeq());
              problem.put("description", p.description());
              body.put("problem", problem);
            });
    return Response.json(200, JSON.writeValueAsString(body));
  }

  // ------------------------------------------------------------------------------ changes

  private Object guardAction(Map<String, String> params, boolean open) {
    String name = params.get("target");
    Guard guard = runtime.guards().guard(name);
    if (open) {
      guard.forceOpen();
    } else {
      guard.reset();
    }
    return Map.of("guard", name, "circuit_state", guard.circuitState().name());
  }

  private static Map<String, String> withTarget(Map<String, String> params, String target) {
    Map<String, String> copy = new LinkedHashMap<>(params);
    copy.put("target", target);
    return copy;
  }

  /** Drops requests and approvals past their time (the operation log records why). */
  private void pruneExpired() {
    java.time.Instant now = runtime.clock().instant();
    pending
        .values()
        .removeIf(
            p ->
                p.approval() == null
                    ? now.isAfter(p.request().approveBy())
                    : now.isAfter(p.approval().performBy()));
  }

  private Response startOperation(String name, String operator, Map<String, String> params)
      throws Exception {
    pruneExpired();
    OpsEndpointSettings.Action action = actions.get(name);
    if (action == null) {
      return error(404, "not found", "no operation '" + name + "'; known: " + actions.keySet());
    }
    if (name.startsWith("guard.")) {
      String target = params.get("target");
      boolean known = runtime.guards().all().stream().anyMatch(g -> g.name().equals(target));
      if (!known) {
        return error(404, "not found", "no guard named '" + target + "'");
      }
    }
    String reason = params.get("reason");
    if (reason == null || reason.isBlank()) {
      throw new BadRequest("parameter 'reason' is required: every operation says why (R5)");
    }
    Operation.Builder builder =
        Operation.builder(name, action.risk())
            .operator(operator)
            .reason(reason)
            .target(params.getOrDefault("target", ""))
            .emergency(Boolean.parseBoolean(params.getOrDefault("emergency", "false")));
    for (Map.Entry<String, String> param : params.entrySet()) {
      if (param.getKey().startsWith("p.")) {
        builder.param(param.getKey().substring(2), param.getValue());
      }
    }
    Operation operation = builder.build();
    Operations ops = runtime.operations();
    if (operation.needsApproval()) {
      OperationRequest request = ops.request(operation);
      pending.put(request.id(), new Pending(request, Map.copyOf(params), null));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", request.id());
      body.put("action", name);
      body.put("status", "awaiting approval by another operator");
      body.put("approve_by", request.approveBy().toString());
      return Response.json(202, JSON.writeValueAsString(body));
    }
    Object result = ops.perform(operation, () -> action.handler().apply(params));
    return done(name, null, result);
  }

  private Response approve(String id, String reviewer) throws IOException {
    pruneExpired();
    Pending waiting = pending.get(id);
    if (waiting == null || waiting.approval() != null) {
      return error(404, "not found", "no request '" + id + "' awaiting approval");
    }
    Approval approval = runtime.operations().approve(id, reviewer);
    pending.put(id, new Pending(waiting.request(), waiting.params(), approval));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("reviewer", reviewer);
    body.put("perform_by", approval.performBy().toString());
    return Response.json(200, JSON.writeValueAsString(body));
  }

  private Response perform(String id, String operator) throws Exception {
    pruneExpired();
    Pending ready = pending.get(id);
    if (ready == null || ready.approval() == null) {
      return error(404, "not found", "no approved request '" + id + "'");
    }
    Approval approval = ready.approval();
    String requester = approval.request().operation().operator();
    if (!operator.equals(requester) && !operator.equals(approval.reviewer())) {
      return error(
          403,
          "forbidden",
          operator
              + " may not perform "
              + id
              + ": only "
              + requester
              + " or "
              + approval.reviewer()
              + " may");
    }
    String name = approval.request().operation().action();
    OpsEndpointSettings.Action action = actions.get(name);
    Object result;
    try {
      result = runtime.operations().perform(approval, () -> action.handler().apply(ready.params()));
    } catch (OperationRefusedException e) {
      if (e.refusal() != OperationRefusedException.Refusal.CHANGE_WINDOW) {
        pending.remove(id); // used, expired or unknown: it cannot be performed any more
      }
      throw e;
    }
    pending.remove(id);
    return done(name, approval.reviewer(), result);
  }

  private static Response done(String action, String reviewer, Object result) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    body.put("status", "done");
    if (reviewer != null) {
      body.put("approved_by", reviewer);
    }
    body.put("result", result);
    return Response.json(200, JSON.writeValueAsString(body));
  }

  // ------------------------------------------------------------------------------ plumbing

  private static Map<String, String> params(HttpExchange exchange) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    decode(exchange.getRequestURI().getRawQuery(), params);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          throw new BadRequest("the request body is larger than " + MAX_BODY + " bytes");
        }
        decode(new String(body, StandardCharsets.UTF_8), params);
      }
    }
    return params;
  }

  private static void decode(String raw, Map<String, String> into) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(key, value);
    }
  }

  private void send(HttpExchange exchange, Response response) throws IOException {
    // Counted before the answer leaves, so a client that reads the metric next sees its request.
    String route = response.route == null ? "other" : response.route;
    requests
        .computeIfAbsent(
            route + " " + response.status,
            k ->
                meters.counter(
                    StabilityMetric.OPS_REQUESTS,
                    "path",
                    route,
                    "status",
                    String.valueOf(response.status)))
        .increment();
    byte[] body = response.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", response.contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    for (Map.Entry<String, String> header : response.headers.entrySet()) {
      exchange.getResponseHeaders().set(header.getKey(), header.getValue());
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Response refused(OperationRefusedException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", 403);
    body.put("error", "operation refused");
    body.put("refusal", e.refusal().name().toLowerCase(Locale.ROOT));
    body.put("operation_id", e.operationId());
    body.put("message", e.getMessage());
    try {
      return Response.json(403, JSON.writeValueAsString(body));
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  private static Response error(int status, String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", error);
    body.put("message", message);
    try {
      return Response.json(status, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bad parameter: answered 400 with the message. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** What is sent back. */
  private static final class Response {
    final int status;
    final String contentType;
    String body;
    final Map<String, String> headers = new LinkedHashMap<>();
    String route;

    Response(int status, String contentType, String body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    static Response json(int status, String body) {
      return new Response(status, "application/json; charset=utf-8", body);
    }

    Response header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Response allow(String methods) {
      return header("Allow", methods);
    }

    Response route(String value) {
      if (route == null) {
        route = value;
      }
      return this;
    }
  }

  /** Stops the server and its threads and removes its meters. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    meters.close();
  }
}
