package dev.stability.ops.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import dev.stability.ops.OpsEndpointSettings;
import io.micrometer.core.instrument.Counter;

/**
 * Who is calling: the bearer token's operator, or the refusal to send (401 with the reason, 429
 * while the client is locked out). Failures are counted, reported at most once a second with a
 * count, and lock a client out after too many. Thread-safe.
 */
final class Access {

  /** The operator, or the refusal to answer with. */
  record Authenticated(String operator, Answer refusal) {}

  private final StabilityRuntime runtime;
  private final OpsEndpointSettings options;
  private final Authenticator auth;
  private final Counter authFailures;
  private long authEventAt = Long.MIN_VALUE;
  private long authEventsHeld;

  Access(StabilityRuntime runtime, OpsEndpointSettings options, SdkMeters meters) {
    this.runtime = runtime;
    this.options = options;
    this.auth =
        new Authenticator(
            options.tokenDigests(),
            options.maxFailedAttempts(),
            options.failureWindow(),
            options.lockout(),
            runtime.clock());
    this.authFailures = meters.counter(StabilityMetric.OPS_AUTH_FAILURES);
  }

  Authenticated authenticate(OpsCall call, String route) {
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
}
