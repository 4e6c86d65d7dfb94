package dev.stability.core.operations.internal;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.internal.AtomicFiles;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private volatile OperationLogFile log;
  private final OperationLog view = new LogView();
  private OperationLogFile replica; // guarded by this
  private volatile OperationLogFile.Head standbyHead;
  private volatile String standbyName;
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
            activeChain(settings.logFile()),
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
    return view;
  }

  // ---------------------------------------------------------------- warm standby

  /**
   * Where the chain this runtime writes lives: the configured file, or, after this runtime was
   * promoted and continued its old primary's chain, the file its pointer ({@code
   * <log>.active-chain}) names.
   */
  private static Path activeChain(Path configured) {
    if (configured == null) {
      return null;
    }
    Path pointer = pointerOf(configured);
    if (!Files.exists(pointer)) {
      return configured;
    }
    try {
      String relative = Files.readString(pointer, StandardCharsets.UTF_8).trim();
      Path active = configured.toAbsolutePath().getParent().resolve(relative).normalize();
      if (relative.isEmpty() || !active.startsWith(configured.toAbsolutePath().getParent())) {
        throw new OperationLogException(
            pointer,
            "names '" + relative + "', not a file beside the configured operation log",
            null);
      }
      return active;
    } catch (IOException e) {
      throw new OperationLogException(pointer, "cannot be read: " + e, e);
    }
  }

  private static Path pointerOf(Path configured) {
    return configured.resolveSibling(configured.getFileName() + ".active-chain");
  }

  /** The file the next replica of a primary's chain goes to: chain-(k+1) beside chain-k. */
  private Path replicaFile() {
    Path configured = settings.logFile();
    if (configured == null) {
      return null;
    }
    Path base = configured.toAbsolutePath().getParent();
    Path active = log.file().orElseThrow();
    int k = 0;
    Path parent = active.getParent();
    if (!parent.equals(base) && parent.getFileName().toString().startsWith("chain-")) {
      k = Integer.parseInt(parent.getFileName().toString().substring("chain-".length()));
    }
    return base.resolve("chain-" + (k + 1)).resolve(configured.getFileName());
  }

  /** This runtime's chain head (what a standby's replica compares with). */
  public OperationLogFile.Head head() {
    return log.head();
  }

  /** Records of this runtime's chain after {@code seq}, for a standby's replica. */
  public List<String> linesAfter(long seq, int maxBytes) {
    return log.linesAfter(seq, maxBytes);
  }

  /** The replica of the primary's chain this runtime keeps while standby (opened on first use). */
  public synchronized OperationLogFile replica() {
    if (replica == null) {
      replica =
          new OperationLogFile(
              replicaFile(),
              settings.retention(),
              clock,
              events,
              this::stamp,
              settings.chainKey(),
              true);
    }
    return replica;
  }

  /** The replica's last op_seq for the gauge: 0 before a replica was opened. */
  public synchronized double replicaHeadIfOpen() {
    return replica == null ? 0 : replica.head().seq();
  }

  /** The replica's head, or null if none was opened. */
  public synchronized OperationLogFile.Head replicaHeadOrNull() {
    return replica == null ? null : replica.head();
  }

  /**
   * Writes a record of the SDK's own doing (operator {@code stability-sdk}) to the chain and the
   * event output.
   */
  public void recordSdk(String action, LogRecord.Builder record) {
    write(
        record
            .operator(OperationLogFile.SDK_OPERATOR)
            .outcome(Outcome.SUCCESS)
            .attr("action", action));
  }

  /** The primary side learns how far its standby's replica reaches; verify() compares heads. */
  public void standbyHeadReported(String standby, long seq, String hash) {
    this.standbyName = standby;
    this.standbyHead = new OperationLogFile.Head(seq, hash);
  }

  /**
   * At promotion: this runtime's own log gets a closing record, then the replica of the old
   * primary's chain becomes the log this runtime writes, so its records continue that chain; a
   * pointer beside the configured file makes a restart continue it too. Returns the closed log's
   * head, or null if there is no replica to continue (the runtime keeps its own chain).
   */
  public synchronized OperationLogFile.Head continueChain(String from) {
    if (replica == null || replica.head().seq() == 0) {
      return null;
    }
    OperationLogFile.Head replicaHead = replica.head();
    Path replicaPath = replica.file().orElse(null);
    write(
        LogRecord.builder(StabilityEventCode.OPERATION_EXECUTED)
            .operator(OperationLogFile.SDK_OPERATOR)
            .outcome(Outcome.SUCCESS)
            .message(
                "this runtime is promoted: its own log ends here and the system's operation log"
                    + " continues the chain of "
                    + from
                    + " from op_seq "
                    + replicaHead.seq()
                    + (replicaPath == null ? "" : " in " + replicaPath))
            .attr("action", "warm-standby.continue-chain")
            .attr("continued_from_seq", replicaHead.seq())
            .attr("continued_from_hash", replicaHead.hash()));
    OperationLogFile.Head own = log.head();
    OperationLogFile old = log;
    replica.close();
    OperationLogFile continued =
        new OperationLogFile(
            replicaPath, settings.retention(), clock, events, this::stamp, settings.chainKey());
    if (replicaPath == null) {
      // In memory, the replica's records are the new log's: copy them over in order.
      for (String line : replica.linesAfter(0, Integer.MAX_VALUE)) {
        continued.adoptInMemory(line);
      }
    } else {
      Path configured = settings.logFile();
      String relative = configured.toAbsolutePath().getParent().relativize(replicaPath).toString();
      try {
        AtomicFiles.write(pointerOf(configured), relative.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        continued.close();
        throw new OperationLogException(
            pointerOf(configured),
            "cannot be written, so a restart would not continue the chain in "
                + relative
                + ": "
                + e,
            e);
      }
    }
    log = continued;
    replica = null;
    old.close();
    return own;
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

  /**
   * The log as callers see it: whichever chain this runtime writes now, and, on a primary whose
   * standby reported its replica's head, a comparison of heads in {@link #verify()} (records cut
   * off the end of this file leave no trace in the chain alone).
   */
  private final class LogView implements OperationLog {
    @Override
    public Optional<Path> file() {
      return log.file();
    }

    @Override
    public List<LogRecord> tail(int count) {
      return log.tail(count);
    }

    @Override
    public Verification verify() {
      OperationLogFile current = log;
      Verification verification = current.verify();
      OperationLogFile.Head reported = standbyHead;
      if (!verification.intact() || reported == null || reported.seq() == 0) {
        return verification;
      }
      OperationLogFile.Head own = current.head();
      Path file = current.file().orElse(null);
      if (reported.seq() > own.seq()) {
        return new Verification(
            verification.records(),
            verification.files(),
            Optional.of(
                new Problem(
                    file,
                    -1,
                    own.seq() + 1,
                    "the standby "
                        + standbyName
                        + " holds this chain up to op_seq "
                        + reported.seq()
                        + " but this log ends at op_seq "
                        + own.seq()
                        + ": records "
                        + (own.seq() + 1)
                        + ".."
                        + reported.seq()
                        + " were cut off the end")));
      }
      List<String> at = current.linesAfter(reported.seq() - 1, 1);
      if (!at.isEmpty()) {
        String hash = LogRecordFormat.parse(at.get(0)).attrs().get("hash");
        if (!reported.hash().equals(hash)) {
          return new Verification(
              verification.records(),
              verification.files(),
              Optional.of(
                  new Problem(
                      file,
                      -1,
                      reported.seq(),
                      "the standby "
                          + standbyName
                          + "'s replica has a different record at op_seq "
                          + reported.seq()
                          + ": one of the two logs was rewritten from there on")));
        }
      }
      return verification;
    }
  }

  /** Closes the log file. */
  @Override
  public void close() {
    log.close();
    synchronized (this) {
      if (replica != null) {
        replica.close();
      }
    }
  }
}
