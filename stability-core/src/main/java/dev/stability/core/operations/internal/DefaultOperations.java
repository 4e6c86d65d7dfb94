package dev.stability.core.operations.internal;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.ChangeWindow;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationLogException;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.operations.OperationRefusedException.Refusal;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Operations;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Dual control and change windows in front of the operation log. Bookkeeping (pending requests,
 * issued approvals) is under this object's lock; the operation itself runs outside it. Every step
 * is written to the log (forced to disk) before the next one is allowed. Internal: reached through
 * {@link Operations}.
 */
public final class DefaultOperations implements Operations, AutoCloseable {

  private final OperationSettings settings;
  private final ServiceIdentity identity;
  private final Supplier<Role> role;
  private final Clock clock;
  private final Events events;
  private final SdkMeters meters;
  private final MaskingPolicy masking;
  private final OperationLogFile log;
  private final Optional<ChangeWindow> window;
  private final Map<String, OperationRequest> pending = new HashMap<>();
  private final Map<String, Approval> approved = new HashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Counter windowRefusals;
  private final String idPrefix;
  private final AtomicLong ids = new AtomicLong();

  /**
   * Opens the operation log and starts the policy.
   *
   * @throws dev.stability.core.operations.OperationLogException if the log cannot be opened
   */
  public DefaultOperations(
      OperationSettings settings, RuntimeContext context, MaskingPolicy masking) {
    this.settings = settings;
    this.identity = context.identity();
    this.role = context.role();
    this.clock = context.clock();
    this.events = context.events();
    SdkMeters meters = context.meters();
    this.meters = meters;
    this.masking = masking;
    this.window = settings.changeWindow();
    this.windowRefusals = meters.counter(StabilityMetric.CHANGE_WINDOW_REFUSALS);
    this.idPrefix = identity.instanceId() + "-op-" + Long.toString(clock.millis(), 36) + "-";
    this.log =
        new OperationLogFile(
            settings.logFile(),
            settings.retention(),
            clock,
            events,
            this::stamp,
            settings.chainKey());
    OperationLog.Verification verification = log.verify();
    verification
        .problem()
        .ifPresent(
            problem ->
                events.publish(
                    LogRecord.builder(StabilityEventCode.OPERATION_LOG_TAMPERED)
                        .message(
                            "operation log chain broken at "
                                + problem.file()
                                + " line "
                                + problem.line()
                                + ": "
                                + problem.description())
                        .attr("file", String.valueOf(problem.file()))
                        .attr("line", problem.line())
                        .attr("op_seq", problem.opSeq())));
  }

  @Override
  public <T> T perform(Operation operation, Callable<T> action) throws Exception {
    String id = idPrefix + ids.incrementAndGet();
    if (operation.needsApproval()) {
      throw refuse(
          Refusal.APPROVAL_REQUIRED,
          id,
          operation,
          null,
          operation.action()
              + (operation.emergency() ? " declared an emergency" : " is high risk")
              + " and needs a second person's approval (R5): request(...) it, then approve(...) as"
              + " another operator");
    }
    checkWindow(id, operation, null);
    return execute(id, operation, null, action);
  }

  @Override
  public synchronized OperationRequest request(Operation operation) {
    pruneExpired();
    String id = idPrefix + ids.incrementAndGet();
    Instant now = clock.instant();
    OperationRequest request =
        new OperationRequest(id, operation, now, now.plus(settings.approvalTimeout()));
    write(
        describe(StabilityEventCode.OPERATION_REQUESTED, id, operation)
            .message(
                operation.operator()
                    + " requested "
                    + operation.action()
                    + on(operation)
                    + ": "
                    + operation.reason()
                    + "; awaiting approval by another operator until "
                    + request.approveBy()));
    pending.put(id, request);
    count(operation.action(), "requested");
    return request;
  }

  @Override
  public Approval approve(String operationId, String reviewer) {
    if (reviewer == null || reviewer.isBlank()) {
      throw new IllegalArgumentException("an approval needs the reviewer's name (R5)");
    }
    synchronized (this) {
      OperationRequest request = pending.get(operationId);
      if (request != null && clock.instant().isAfter(request.approveBy())) {
        pending.remove(operationId);
        throw refuse(
            Refusal.EXPIRED,
            operationId,
            request.operation(),
            reviewer,
            "request "
                + operationId
                + " ("
                + request.operation().action()
                + ") expired at "
                + request.approveBy()
                + ": approvals must come within "
                + settings.approvalTimeout().toMinutes()
                + " min of the request; request it again");
      }
      pruneExpired();
      request = pending.get(operationId);
      if (request == null) {
        throw new OperationRefusedException(
            Refusal.NOT_VALID,
            operationId,
            "no pending request with id '"
                + operationId
                + "' (unknown, already approved, or expired)");
      }
      Operation operation = request.operation();
      if (reviewer.strip().equalsIgnoreCase(operation.operator().strip())) {
        throw refuse(
            Refusal.SELF_APPROVAL,
            operationId,
            operation,
            reviewer,
            reviewer
                + " cannot approve their own request "
                + operationId
                + " ("
                + operation.action()
                + "): a second person must (R5)");
      }
      Instant now = clock.instant();
      Approval approval =
          new Approval(request, reviewer, now, now.plus(settings.approvalTimeout()));
      write(
          describe(StabilityEventCode.OPERATION_APPROVED, operationId, operation)
              .reviewer(reviewer)
              .message(
                  reviewer
                      + " approved "
                      + operation.action()
                      + on(operation)
                      + " requested by "
                      + operation.operator()
                      + "; to be performed before "
                      + approval.performBy()));
      pending.remove(operationId);
      approved.put(operationId, approval);
      count(operation.action(), "approved");
      return approval;
    }
  }

  @Override
  public <T> T perform(Approval approval, Callable<T> action) throws Exception {
    if (approval == null) {
      throw new OperationRefusedException(Refusal.NOT_VALID, null, "no approval given");
    }
    String id = approval.id();
    Operation operation = approval.request().operation();
    synchronized (this) {
      if (approved.get(id) == approval && clock.instant().isAfter(approval.performBy())) {
        approved.remove(id);
        throw refuse(
            Refusal.EXPIRED,
            id,
            operation,
            approval.reviewer(),
            "the approval of "
                + id
                + " ("
                + operation.action()
                + ") expired at "
                + approval.performBy()
                + "; request and approve it again");
      }
      pruneExpired();
      if (approved.get(id) != approval) { // the very instance issued here, not an equal copy
        throw refuse(
            Refusal.NOT_VALID,
            id,
            operation,
            approval.reviewer(),
            "the approval of "
                + id
                + " was not issued by this runtime or was already used; every performance needs"
                + " its own approval");
      }
      checkWindow(id, operation, approval.reviewer());
      approved.remove(id); // single use, consumed before the action runs
    }
    return execute(id, operation, approval.reviewer(), action);
  }

  @Override
  public void record(Operation operation, boolean succeeded, String detail) {
    String id = idPrefix + ids.incrementAndGet();
    write(
        describe(StabilityEventCode.OPERATION_EXECUTED, id, operation)
            .outcome(succeeded ? Outcome.SUCCESS : Outcome.FAILURE)
            .message(
                operation.operator()
                    + " reports "
                    + operation.action()
                    + on(operation)
                    + (succeeded ? " done" : " failed")
                    + (detail == null || detail.isBlank() ? "" : ": " + detail))
            .attr("recorded_after", "true"));
    count(operation.action(), succeeded ? "success" : "failure");
  }

  @Override
  public Optional<ChangeWindow> changeWindow() {
    return window;
  }

  @Override
  public OperationLog log() {
    return log;
  }

  private void checkWindow(String id, Operation operation, String reviewer) {
    if (window.isEmpty() || !operation.risk().needsChangeWindow()) {
      return;
    }
    Optional<ChangeWindow.Block> block = window.get().blockAt(clock.instant());
    if (block.isEmpty()) {
      return;
    }
    if (operation.emergency() && reviewer != null) {
      write(
          describe(StabilityEventCode.EMERGENCY_DECLARED, id, operation)
              .reviewer(reviewer)
              .message(
                  operation.action()
                      + on(operation)
                      + " performed as an emergency during trading hours ("
                      + (block.get().inBreak() ? "break after " : "session ")
                      + block.get().session()
                      + "), declared by "
                      + operation.operator()
                      + " and approved by "
                      + reviewer
                      + ": "
                      + operation.reason())
              .attr("session", block.get().session()));
      return;
    }
    windowRefusals.increment();
    String message = window.get().refusal(operation.action(), block.get());
    OperationRefusedException refused =
        new OperationRefusedException(Refusal.CHANGE_WINDOW, id, message);
    write(
        describe(StabilityEventCode.CHANGE_WINDOW_REFUSED, id, operation)
            .reviewer(reviewer)
            .outcome(Outcome.REJECTED)
            .message(message)
            .attr("session", block.get().session())
            .attr("in_break", String.valueOf(block.get().inBreak()))
            .attr("until", block.get().until().toString()));
    count(operation.action(), "refused");
    throw refused;
  }

  /**
   * Forgets requests and approvals past their time, each with a refusal record, so the maps stay
   * small and the log says what became of every request. Caller holds the lock.
   */
  private void pruneExpired() {
    Instant now = clock.instant();
    for (OperationRequest request : List.copyOf(pending.values())) {
      if (now.isAfter(request.approveBy())) {
        pending.remove(request.id());
        refuse(
            Refusal.EXPIRED,
            request.id(),
            request.operation(),
            null,
            "request " + request.id() + " expired at " + request.approveBy() + " without approval");
      }
    }
    for (Approval approval : List.copyOf(approved.values())) {
      if (now.isAfter(approval.performBy())) {
        approved.remove(approval.id());
        refuse(
            Refusal.EXPIRED,
            approval.id(),
            approval.request().operation(),
            approval.reviewer(),
            "the approval of " + approval.id() + " expired at " + approval.performBy() + " unused");
      }
    }
  }

  /**
   * Writes OPERATION_STARTED (forced) before the action runs, so that a crash in the middle still
   * leaves a record; then the outcome. If the start cannot be recorded the action does not run; if
   * the outcome cannot, the caller learns the action ran but is unrecorded.
   */
  private <T> T execute(String id, Operation operation, String reviewer, Callable<T> action)
      throws Exception {
    write(
        describe(StabilityEventCode.OPERATION_STARTED, id, operation)
            .reviewer(reviewer)
            .message(
                operation.action()
                    + on(operation)
                    + " starting, by "
                    + operation.operator()
                    + (reviewer == null ? "" : ", approved by " + reviewer)));
    long start = System.nanoTime();
    T result;
    try {
      result = action.call();
    } catch (Exception | Error e) {
      try {
        write(
            describe(StabilityEventCode.OPERATION_EXECUTED, id, operation)
                .reviewer(reviewer)
                .outcome(Outcome.FAILURE)
                .durationMicros((System.nanoTime() - start) / 1_000)
                .error(e)
                .message(
                    operation.action()
                        + on(operation)
                        + " by "
                        + operation.operator()
                        + (reviewer == null ? "" : ", approved by " + reviewer)
                        + " failed: "
                        + e));
      } catch (OperationLogException unrecorded) {
        e.addSuppressed(unrecorded);
      }
      count(operation.action(), "failure");
      throw e;
    }
    LogRecord.Builder done =
        describe(StabilityEventCode.OPERATION_EXECUTED, id, operation)
            .reviewer(reviewer)
            .outcome(Outcome.SUCCESS)
            .durationMicros((System.nanoTime() - start) / 1_000)
            .message(
                operation.action()
                    + on(operation)
                    + " done by "
                    + operation.operator()
                    + (reviewer == null ? "" : ", approved by " + reviewer));
    try {
      write(done);
    } catch (OperationLogException unrecorded) {
      events.publish(masking.apply(stamp(done).build()));
      throw new OperationLogException(
          unrecorded.file(),
          operation.action()
              + " ("
              + id
              + ") WAS PERFORMED successfully but its outcome could not be recorded; do not repeat"
              + " it: "
              + unrecorded.getMessage(),
          unrecorded);
    }
    count(operation.action(), "success");
    return result;
  }

  private OperationRefusedException refuse(
      Refusal refusal, String id, Operation operation, String reviewer, String message) {
    write(
        describe(StabilityEventCode.OPERATION_REFUSED, id, operation)
            .reviewer(reviewer)
            .outcome(Outcome.REJECTED)
            .message(message)
            .attr("refusal", refusal.name().toLowerCase(Locale.ROOT)));
    count(operation.action(), "refused");
    return new OperationRefusedException(refusal, id, message);
  }

  private static String on(Operation operation) {
    return operation.target().isEmpty() ? "" : " on " + operation.target();
  }

  private static LogRecord.Builder describe(
      StabilityEventCode code, String id, Operation operation) {
    LogRecord.Builder record =
        LogRecord.builder(code)
            .seq(id)
            .operator(operation.operator())
            .attr("action", operation.action())
            .attr("risk", operation.risk().name().toLowerCase(Locale.ROOT))
            .attr("reason", operation.reason())
            .attr("emergency", String.valueOf(operation.emergency()));
    if (!operation.target().isEmpty()) {
      record.attr("target", operation.target());
    }
    for (Map.Entry<String, String> param : operation.params().entrySet()) {
      record.attr("param." + param.getKey(), param.getValue());
    }
    return record;
  }

  /** Fills the identity fields, so the line in the log file is complete on its own. */
  private LogRecord.Builder stamp(LogRecord.Builder record) {
    return record
        .set(LogField.TS, OffsetDateTime.now(clock))
        .set(LogField.SYSTEM, identity.systemCode())
        .set(LogField.SUBSYSTEM, identity.subsystem())
        .set(LogField.INSTANCE, identity.instanceId())
        .set(LogField.SITE, identity.site())
        .set(LogField.ROLE, role.get())
        .set(LogField.THREAD, Thread.currentThread().getName());
  }

  /** Writes to the chain (forced to disk), then to the event output with the same content. */
  private LogRecord write(LogRecord.Builder record) {
    LogRecord written = log.append(masking.apply(stamp(record).build()));
    events.publish(written);
    return written;
  }

  private void count(String action, String outcome) {
    counters
        .computeIfAbsent(
            action + "\n" + outcome,
            k -> meters.counter(StabilityMetric.OPERATIONS, "action", action, "outcome", outcome))
        .increment();
  }

  /** Closes the log file. */
  @Override
  public void close() {
    log.close();
  }
}
