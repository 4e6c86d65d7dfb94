package dev.stability.ops.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.ops.OpsEndpointSettings;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes, authentication, limits and the dual-control flow of the ops endpoint, independent of the
 * server library; the reads live in {@link OpsReads}. Every route label is a fixed template, so
 * what a client puts in the path can never create new metric series. Thread-safe.
 */
final class OpsRoutes {

  private static final java.util.Set<String> SWITCH_ACTIONS =
      java.util.Set.of("switchover", "failover");

  private final StabilityRuntime runtime;
  private final OpsEndpointSettings options;
  private final Authenticator auth;
  private final RequestParams limits;
  private final OpsReads reads;
  private final ConsoleAssets console;
  private final SdkMeters meters;
  private final Counter authFailures;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, OpsEndpointSettings.Action> actions = new LinkedHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final boolean readsNeedToken;
  private long authEventAt = Long.MIN_VALUE;
  private long authEventsHeld;

  /** A request waiting for (or holding) its approval, with what the handler will be given. */
  record Pending(OperationRequest request, Map<String, String> params, Approval approval) {}

  OpsRoutes(StabilityRuntime runtime, OpsEndpointSettings options, SdkMeters meters) {
    this.runtime = runtime;
    this.options = options;
    this.meters = meters;
    this.auth =
        new Authenticator(
            options.tokenDigests(),
            options.maxFailedAttempts(),
            options.failureWindow(),
            options.lockout(),
            runtime.clock());
    this.limits = new RequestParams(options.maxParameters(), options.maxFieldLength());
    this.readsNeedToken = !options.address().isLoopbackAddress();
    this.authFailures = meters.counter(StabilityMetric.OPS_AUTH_FAILURES);
    this.reads = new OpsReads(runtime, options, this::pendingView);
    this.console = new ConsoleAssets();
    actions.put(
        "guard.force-open",
        new OpsEndpointSettings.Action(Risk.RISKY, p -> reads.guardAction(p, true)));
    actions.put(
        "guard.reset",
        new OpsEndpointSettings.Action(Risk.RISKY, p -> reads.guardAction(p, false)));
    if (options.switchController().isPresent()) {
      // Performed through the controller, which checks the approval itself (see perform()).
      for (String name : SWITCH_ACTIONS) {
        actions.put(name, new OpsEndpointSettings.Action(Risk.HIGH, p -> null));
      }
    }
    actions.putAll(options.actions());
  }

  /** Answers one request; never throws. */
  Answer handle(OpsCall call) {
    Answer answer;
    try {
      answer = route(call);
    } catch (OperationRefusedException e) {
      answer = refused(e);
    } catch (BadRequest e) {
      answer =
          Answer.error(
              e.status, e.status == 413 ? "content too large" : "bad request", e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      answer = Answer.error(400, "bad request", e.getMessage());
    } catch (Exception e) {
      answer = Answer.error(500, "internal error", e.toString());
    }
    count(answer);
    return answer;
  }

  private Answer route(OpsCall call) throws Exception {
    String method = call.method();
    String path = call.path();
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    for (String part : parts) {
      limits.checkField("path segment", part);
    }
    String first = parts.isEmpty() ? "" : parts.get(0);
    int n = parts.size();
    switch (first) {
      case "":
        return page(method, "/", console.html());
      case "console.js":
        return page(method, "/console.js", console.script());
      case "console.css":
        return page(method, "/console.css", console.style());
      case "status":
        if (n == 1) {
          return read(call, "/status", reads::status);
        }
        break;
      case "whoami":
        if (n == 1) {
          return whoami(call);
        }
        break;
      case "health":
        if (n == 2 && OpsReads.HEALTH_KINDS.contains(parts.get(1))) {
          String kind = parts.get(1);
          return read(call, "/health/" + kind, () -> reads.health(kind));
        }
        break;
      case "metrics":
        if (n == 1) {
          return read(call, "/metrics", reads::metrics);
        }
        break;
      case "guards":
        if (n == 1) {
          return read(call, "/guards", reads::guards);
        }
        if (n == 3 && (parts.get(2).equals("force-open") || parts.get(2).equals("reset"))) {
          String action = "guard." + parts.get(2);
          String target = parts.get(1);
          return change(
              call,
              "/guards/{name}/" + parts.get(2),
              (operator, params) -> {
                params.put("target", target);
                return startOperation(action, operator, params);
              });
        }
        break;
      case "capacity":
        if (n == 1) {
          return read(call, "/capacity", reads::capacity);
        }
        break;
      case "consistency":
        if (n == 1) {
          return read(call, "/consistency", reads::consistency);
        }
        break;
      case "switchover":
        if (n == 2 && parts.get(1).equals("readiness")) {
          return read(call, "/switchover/readiness", () -> reads.switchReadiness(approvedSwitch()));
        }
        break;
      case "operations":
        if (n == 1) {
          return read(
              call, "/operations", () -> reads.operationsTail(limits.query(call.rawQuery())));
        }
        if (n == 2 && parts.get(1).equals("verify")) {
          return read(call, "/operations/verify", reads::verify);
        }
        if (n == 2 && parts.get(1).equals("requests") && !call.method().equals("POST")) {
          return read(call, "/operations/requests", reads::requests);
        }
        if (n == 4 && parts.get(1).equals("requests") && parts.get(3).equals("approve")) {
          return change(
              call,
              "/operations/requests/{id}/approve",
              (operator, params) -> approve(parts.get(2), operator));
        }
        if (n == 4 && parts.get(1).equals("requests") && parts.get(3).equals("perform")) {
          return change(
              call,
              "/operations/requests/{id}/perform",
              (operator, params) -> perform(parts.get(2), operator));
        }
        if (n == 2) {
          return change(
              call,
              "/operations/{action}",
              (operator, params) -> startOperation(parts.get(1), operator, params));
        }
        break;
      default:
        break;
    }
    return Answer.error(
            404, "not found", "no route " + path + "; see the OpsEndpoint documentation")
        .route("other");
  }

  // ------------------------------------------------------------------------------ access

  interface Read {
    Answer get() throws Exception;
  }

  private interface Change {
    Answer as(String operator, Map<String, String> params) throws Exception;
  }

  /** The console's files: no data in them, so served without a token anywhere. */
  private static Answer page(String method, String route, Answer asset) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Answer.error(405, "method not allowed", route + " answers GET")
          .allow("GET, HEAD")
          .route(route);
    }
    return asset.route(route);
  }

  private Answer read(OpsCall call, String route, Read read) throws Exception {
    if (!call.method().equals("GET") && !call.method().equals("HEAD")) {
      return Answer.error(405, "method not allowed", route + " answers GET")
          .allow("GET, HEAD")
          .route(route);
    }
    limits.query(call.rawQuery()); // limits apply to every request
    if (readsNeedToken) {
      Authenticated who = authenticate(call, route);
      if (who.refusal != null) {
        return who.refusal;
      }
    }
    return read.get().route(route);
  }

  private Answer whoami(OpsCall call) {
    if (!call.method().equals("GET") && !call.method().equals("HEAD")) {
      return Answer.error(405, "method not allowed", "/whoami answers GET")
          .allow("GET, HEAD")
          .route("/whoami");
    }
    Authenticated who = authenticate(call, "/whoami");
    if (who.refusal != null) {
      return who.refusal;
    }
    return Answer.json(200, Map.of("operator", who.operator)).route("/whoami");
  }

  private Answer change(OpsCall call, String route, Change change) throws Exception {
    if (!call.method().equals("POST")) {
      return Answer.error(405, "method not allowed", route + " answers POST")
          .allow("POST")
          .route(route);
    }
    Authenticated who = authenticate(call, route);
    if (who.refusal != null) {
      return who.refusal;
    }
    try {
      // The body is read only once the caller is known, and checked whole before anything runs.
      Map<String, String> params = limits.query(call.rawQuery());
      String form = call.body().read();
      if (form != null) {
        limits.decode(form, params);
      }
      return change.as(who.operator, params).route(route);
    } catch (OperationRefusedException e) {
      return refused(e).route(route);
    } catch (SwitchRefusedException e) {
      return Answer.error(409, "switch refused", e.getMessage()).route(route);
    } catch (BadRequest e) {
      return Answer.error(
              e.status, e.status == 413 ? "content too large" : "bad request", e.getMessage())
          .route(route);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Answer.error(400, "bad request", e.getMessage()).route(route);
    } catch (Exception e) {
      return Answer.error(500, "operation failed", e.toString()).route(route);
    }
  }

  private record Authenticated(String operator, Answer refusal) {}

  private Authenticated authenticate(OpsCall call, String route) {
    String client = call.client();
    Authenticator.Result result = auth.authenticate(client, call.authorization());
    switch (result.status()) {
      case OK:
        return new Authenticated(result.operator(), null);
      case LOCKED:
        return new Authenticated(
            null,
            Answer.error(
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
                              + call.method()
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
            Answer.error(
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

  // ------------------------------------------------------------------------------ changes

  /** Drops requests and approvals past their time (the operation log records why). */
  private void pruneExpired() {
    Instant now = runtime.clock().instant();
    pending
        .values()
        .removeIf(
            p ->
                p.approval() == null
                    ? now.isAfter(p.request().approveBy())
                    : now.isAfter(p.approval().performBy()));
  }

  private Approval approvedSwitch() {
    pruneExpired();
    for (Pending p : pending.values()) {
      if (p.approval() != null && SWITCH_ACTIONS.contains(p.request().operation().action())) {
        return p.approval();
      }
    }
    return null;
  }

  private List<Pending> pendingView() {
    pruneExpired();
    return List.copyOf(pending.values());
  }

  private Answer startOperation(String name, String operator, Map<String, String> params)
      throws Exception {
    pruneExpired();
    OpsEndpointSettings.Action action = actions.get(name);
    if (action == null) {
      return Answer.error(
          404, "not found", "no operation '" + name + "'; known: " + actions.keySet());
    }
    if (name.startsWith("guard.")) {
      String target = params.get("target");
      boolean known = runtime.guards().all().stream().anyMatch(g -> g.name().equals(target));
      if (!known) {
        return Answer.error(404, "not found", "no guard named '" + target + "'");
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
      return Answer.json(202, body);
    }
    Object result = ops.perform(operation, () -> action.handler().apply(params));
    return done(name, null, result);
  }

  private Answer approve(String id, String reviewer) {
    pruneExpired();
    Pending waiting = pending.get(id);
    if (waiting == null || waiting.approval() != null) {
      return Answer.error(404, "not found", "no request '" + id + "' awaiting approval");
    }
    Approval approval = runtime.operations().approve(id, reviewer);
    pending.put(id, new Pending(waiting.request(), waiting.params(), approval));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("reviewer", reviewer);
    body.put("perform_by", approval.performBy().toString());
    return Answer.json(200, body);
  }

  private Answer perform(String id, String operator) throws Exception {
    pruneExpired();
    Pending ready = pending.get(id);
    if (ready == null || ready.approval() == null) {
      return Answer.error(404, "not found", "no approved request '" + id + "'");
    }
    Approval approval = ready.approval();
    String requester = approval.request().operation().operator();
    if (!operator.equals(requester) && !operator.equals(approval.reviewer())) {
      return Answer.error(
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
      if (SWITCH_ACTIONS.contains(name) && options.switchController().isPresent()) {
        // The controller checks its gates and performs the approval through dual control itself.
        SwitchController controller = options.switchController().get();
        SwitchReport report =
            name.equals("switchover")
                ? controller.switchover(approval)
                : controller.failover(approval);
        result = OpsReads.report(report);
      } else {
        result =
            runtime.operations().perform(approval, () -> action.handler().apply(ready.params()));
      }
    } catch (OperationRefusedException e) {
      if (e.refusal() != OperationRefusedException.Refusal.CHANGE_WINDOW) {
        pending.remove(id); // used, expired or unknown: it cannot be performed any more
      }
      throw e;
    }
    pending.remove(id);
    return done(name, approval.reviewer(), result);
  }

  private static Answer done(String action, String reviewer, Object result) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    body.put("status", "done");
    if (reviewer != null) {
      body.put("approved_by", reviewer);
    }
    body.put("result", result);
    return Answer.json(200, body);
  }

  private static Answer refused(OperationRefusedException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", 403);
    body.put("error", "operation refused");
    body.put("refusal", e.refusal().name().toLowerCase(Locale.ROOT));
    body.put("operation_id", e.operationId());
    body.put("message", e.getMessage());
    return Answer.json(403, body);
  }

  /** Counted before the answer leaves, so a client that reads the metric next sees its request. */
  void count(Answer answer) {
    String route = answer.route == null ? "other" : answer.route;
    requests
        .computeIfAbsent(
            route + " " + answer.status,
            k ->
                meters.counter(
                    StabilityMetric.OPS_REQUESTS,
                    "path",
                    route,
                    "status",
                    String.valueOf(answer.status)))
        .increment();
  }
}
