package dev.stability.ops.internal;

import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.ops.OpsEndpointSettings;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes and limits of the ops endpoint, independent of the server library: who may call a route is
 * {@link Access}'s answer, changes go through {@link DualControl}, reads are {@link OpsReads}.
 * Every route label is a fixed template, so what a client puts in the path can never create new
 * metric series. Thread-safe.
 */
final class OpsRoutes {

  private final RequestParams limits;
  private final Access access;
  private final OpsReads reads;
  private final DualControl dual;
  private final ConsoleAssets console;
  private final SdkMeters meters;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final boolean readsNeedToken;

  OpsRoutes(
      dev.stability.core.StabilityRuntime runtime, OpsEndpointSettings options, SdkMeters meters) {
    this.meters = meters;
    this.limits = new RequestParams(options.maxParameters(), options.maxFieldLength());
    this.readsNeedToken = !options.address().isLoopbackAddress();
    this.access = new Access(runtime, options, meters);
    this.dual = new DualControl(runtime, options);
    this.reads = new OpsReads(runtime, options, dual::pendingView);
    this.console = new ConsoleAssets();
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
        if (n == 1) {
          return page(method, "/console.js", console.script());
        }
        break;
      case "console.css":
        if (n == 1) {
          return page(method, "/console.css", console.style());
        }
        break;
      case "favicon.svg":
        if (n == 1) {
          return page(method, "/favicon.svg", console.icon());
        }
        break;
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
                return dual.startOperation(action, operator, params);
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
          return read(
              call, "/switchover/readiness", () -> reads.switchReadiness(dual.approvedSwitch()));
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
              (operator, params) -> dual.approve(parts.get(2), operator));
        }
        if (n == 4 && parts.get(1).equals("requests") && parts.get(3).equals("perform")) {
          return change(
              call,
              "/operations/requests/{id}/perform",
              (operator, params) -> dual.perform(parts.get(2), operator));
        }
        if (n == 2) {
          return change(
              call,
              "/operations/{action}",
              (operator, params) -> dual.startOperation(parts.get(1), operator, params));
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
      Access.Authenticated who = access.authenticate(call, route);
      if (who.refusal() != null) {
        return who.refusal();
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
    Access.Authenticated who = access.authenticate(call, "/whoami");
    if (who.refusal() != null) {
      return who.refusal();
    }
    return Answer.json(200, Map.of("operator", who.operator())).route("/whoami");
  }

  private Answer change(OpsCall call, String route, Change change) throws Exception {
    if (!call.method().equals("POST")) {
      return Answer.error(405, "method not allowed", route + " answers POST")
          .allow("POST")
          .route(route);
    }
    Access.Authenticated who = access.authenticate(call, route);
    if (who.refusal() != null) {
      return who.refusal();
    }
    try {
      // The body is read only once the caller is known, and checked whole before anything runs.
      Map<String, String> params = limits.query(call.rawQuery());
      String form = call.body().read();
      if (form != null) {
        limits.decode(form, params);
      }
      return change.as(who.operator(), params).route(route);
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

  // ------------------------------------------------------------------------------ changes

  static Answer refused(OperationRefusedException e) {
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
