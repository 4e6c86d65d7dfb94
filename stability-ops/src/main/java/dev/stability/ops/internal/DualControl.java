package dev.stability.ops.internal;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.ops.OpsEndpointSettings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint's operations through the runtime's dual control (R5): routine and risky ones are
 * performed at once; high-risk ones and emergencies are requested, approved by another operator and
 * performed by the requester or the reviewer. A switchover or failover is performed by the switch
 * controller, which checks its gates and the approval itself. Thread-safe.
 */
final class DualControl {

  static final Set<String> SWITCH_ACTIONS = Set.of("switchover", "failover");

  /** A request waiting for (or holding) its approval, with what the handler will be given. */
  record Pending(OperationRequest request, Map<String, String> params, Approval approval) {}

  private final StabilityRuntime runtime;
  private final OpsEndpointSettings options;
  private final Map<String, OpsEndpointSettings.Action> actions = new LinkedHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  DualControl(StabilityRuntime runtime, OpsEndpointSettings options) {
    this.runtime = runtime;
    this.options = options;
    actions.put(
        "guard.force-open", new OpsEndpointSettings.Action(Risk.RISKY, p -> guardAction(p, true)));
    actions.put(
        "guard.reset", new OpsEndpointSettings.Action(Risk.RISKY, p -> guardAction(p, false)));
    if (options.switchController().isPresent()) {
      // Performed through the controller, which checks the approval itself (see perform()).
      for (String name : SWITCH_ACTIONS) {
        actions.put(name, new OpsEndpointSettings.Action(Risk.HIGH, p -> null));
      }
    }
    actions.putAll(options.actions());
  }

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

  /** The approved switchover or failover waiting to be performed, or null. */
  Approval approvedSwitch() {
    pruneExpired();
    for (Pending p : pending.values()) {
      if (p.approval() != null && SWITCH_ACTIONS.contains(p.request().operation().action())) {
        return p.approval();
      }
    }
    return null;
  }

  /** Requests awaiting approval or performance. */
  List<Pending> pendingView() {
    pruneExpired();
    return List.copyOf(pending.values());
  }

  /** Performs, or requests when it needs an approval (202 with the request id). */
  Answer startOperation(String name, String operator, Map<String, String> params) throws Exception {
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

  /** Approves a pending request as {@code reviewer}. */
  Answer approve(String id, String reviewer) {
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

  /** Performs an approved request as {@code operator} (the requester or the reviewer). */
  Answer perform(String id, String operator) throws Exception {
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
}
