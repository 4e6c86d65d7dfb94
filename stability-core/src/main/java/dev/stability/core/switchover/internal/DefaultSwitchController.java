package dev.stability.core.switchover.internal;

import dev.stability.api.Role;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.event.Events;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.ChangeWindow;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.Risk;
import dev.stability.core.standby.internal.DefaultWarmStandby;
import dev.stability.core.switchover.RemotePrimary;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReadiness;
import dev.stability.core.switchover.SwitchReadiness.Gate;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The in-process switch controller. Internal: reached through {@link SwitchController}. */
public final class DefaultSwitchController implements SwitchController {

  private final SwitchSettings settings;
  private final SwitchParticipants parts;
  private final Operations operations;
  private final CheckpointAuditor auditor;
  private final Events events;
  private final SdkMeters meters;
  private final Clock clock;
  private final Consumer<Role> role;
  private final DefaultWarmStandby warm;
  private DefaultWarmStandby.Taken taken; // between promote() and complete() of one switch

  /** Creates the controller and its epoch gauge. */
  public DefaultSwitchController(
      SwitchSettings settings,
      SwitchParticipants parts,
      Operations operations,
      CheckpointAuditor auditor,
      RuntimeContext context,
      Consumer<Role> role,
      DefaultWarmStandby warm) {
    this.warm = warm;
    this.settings = settings;
    this.parts = parts;
    this.operations = operations;
    this.auditor = auditor;
    this.events = context.events();
    this.meters = context.meters();
    this.clock = context.clock();
    this.role = role;
    meters.gauge(StabilityMetric.REPLICATION_EPOCH, parts.journal(), j -> j.epoch());
  }

  @Override
  public SwitchReadiness readiness(Approval approval) {
    return gates(approval, "switchover", true);
  }

  private SwitchReadiness gates(Approval approval, String action, boolean planned) {
    List<Gate> gates = new ArrayList<>();
    // a primary in another process may have more than has reached the standby's journal
    long lag =
        Math.max(parts.journal().lastSequence(), parts.primaryLastSequence().getAsLong())
            - parts.standby().appliedSequence();
    if (planned) {
      gates.add(
          new Gate(
              "standby-lag",
              lag <= settings.maxLagToStart() && parts.standby().failure().isEmpty(),
              parts.standby().failure().isPresent()
                  ? "the standby stopped: " + parts.standby().failure().get().getMessage()
                  : "the standby is "
                      + lag
                      + " records behind (at most "
                      + settings.maxLagToStart()
                      + " to start; it then drains to 0)"));
      OptionalLong mismatch = auditor.firstMismatchSequence();
      OptionalLong matched = auditor.lastMatchedSequence();
      long standbyCheckpoint = parts.standby().lastCheckpoint().map(c -> c.sequence()).orElse(0L);
      boolean current = matched.isPresent() && matched.getAsLong() >= standbyCheckpoint;
      if (parts.remotePrimary() != null) {
        // The primary's checkpoints are audited in the primary's process; here the digests are
        // compared at the switch sequence itself, when the primary hands over.
        gates.add(
            new Gate(
                "digests-equal",
                mismatch.isEmpty(),
                mismatch.isPresent()
                    ? "primary and standby differ since checkpoint " + mismatch.getAsLong()
                    : "compared at the switch sequence when the primary hands over"));
      } else {
        gates.add(
            new Gate(
                "digests-equal",
                mismatch.isEmpty() && current,
                mismatch.isPresent()
                    ? "primary and standby differ since checkpoint " + mismatch.getAsLong()
                    : matched.isEmpty()
                        ? "no checkpoint has been compared yet"
                        : current
                            ? "equal at checkpoint " + matched.getAsLong()
                            : "the latest standby checkpoint "
                                + standbyCheckpoint
                                + " is not compared yet (last match at "
                                + matched.getAsLong()
                                + ")"));
      }
    }
    if (parts.lease() != null) {
      gates.add(leaseGate(planned));
    }
    HealthStatus health = parts.standbyHealth().get();
    gates.add(new Gate("standby-health", health == HealthStatus.UP, "the standby is " + health));
    Optional<ChangeWindow> window = operations.changeWindow();
    Optional<ChangeWindow.Block> block = window.flatMap(w -> w.blockAt(clock.instant()));
    boolean emergency = approval != null && approval.request().operation().emergency();
    gates.add(
        new Gate(
            "change-window",
            block.isEmpty() || emergency,
            window.isEmpty()
                ? "no trading calendar configured"
                : block.isEmpty()
                    ? "no trading session now"
                    : emergency
                        ? "trading hours, but an approved emergency"
                        : window.get().refusal(action, block.get())));
    String expected = action;
    gates.add(
        new Gate(
            "approval",
            approval != null && approval.request().operation().action().equals(expected),
            approval == null
                ? "a " + action + " needs a request by one operator and an approval by another (R5)"
                : !approval.request().operation().action().equals(expected)
                    ? "the approval is for "
                        + approval.request().operation().action()
                        + ", not "
                        + action
                    : "requested by "
                        + approval.request().operation().operator()
                        + ", approved by "
                        + approval.reviewer()));
    return new SwitchReadiness(gates);
  }

  /**
   * The role lease: a failover waits until nobody else holds it (the old primary's session expired
   * or it released the role), else two primaries could run; a planned switchover takes it over from
   * the primary it stops, so the gate only reports who holds it.
   */
  private Gate leaseGate(boolean planned) {
    RoleLease lease = parts.lease();
    Optional<RoleLease.Holder> holder;
    try {
      holder = lease.holder();
    } catch (RuntimeException unknown) {
      return new Gate(
          "role-lease",
          false,
          "who holds the role is unknown: "
              + unknown.getMessage()
              + " (nothing is switched blind)");
    }
    boolean other = holder.isPresent() && !holder.get().participant().equals(lease.participant());
    String held =
        holder
            .map(h -> "the role is held by " + h.participant() + " at epoch " + h.epoch())
            .orElse("nobody holds the role");
    if (planned) {
      return new Gate(
          "role-lease",
          true,
          held + "; " + lease.participant() + " takes it when the primary has stopped");
    }
    return new Gate(
        "role-lease",
        !other,
        other
            ? held
                + ": the old primary may be alive; fail over once its lease has expired (its"
                + " session timeout) or it released the role"
            : held + "; " + lease.participant() + " takes it at the fence step");
  }

  @Override
  public SwitchReport switchover(Approval approval) throws Exception {
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_REQUESTED)
            .message(
                "switchover of "
                    + settings.service()
                    + " to "
                    + settings.standbyAddress()
                    + " requested")
            .attr("service", settings.service()));
    SwitchReadiness readiness = gates(approval, "switchover", true);
    if (!readiness.ready()) {
      events.publish(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_GATE_FAILED)
              .message("switchover refused: " + readiness.failures())
              .attr("service", settings.service()));
      throw new SwitchRefusedException("switchover refused: " + readiness.failures(), readiness);
    }
    return operations.perform(approval, this::planned);
  }

  private SwitchReport planned() throws Exception {
    if (parts.remotePrimary() != null) {
      return plannedWithRemotePrimary();
    }
    long start = System.nanoTime();
    parts.stopPrimary().run();
    // Fence before reading the switch point: an append still in flight in the old primary is
    // refused from here on, so nothing can land after the sequence the standby drains to.
    long epoch = fence("planned", start);
    long last = parts.journal().lastSequence();
    parts.journal().sync();
    if (!parts.standby().awaitApplied(last, settings.drainTimeout())) {
      throw failed(
          "planned",
          start,
          "the standby applied "
              + parts.standby().appliedSequence()
              + " of "
              + last
              + " records within "
              + settings.drainTimeout().toMillis()
              + " ms; the old primary stays stopped and fenced at epoch "
              + epoch
              + ", nothing was promoted");
    }
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_DRAINED)
            .journalSeq(last)
            .message("the standby applied every record up to " + last));
    DigestValue primary = parts.primaryDigest().get();
    DigestValue standby = parts.standbyDigest().get();
    if (!primary.equals(standby)) {
      throw failed(
          "planned",
          start,
          "digests differ at the switch sequence "
              + last
              + ": primary "
              + primary
              + ", standby "
              + standby
              + "; the old primary stays stopped and fenced at epoch "
              + epoch
              + ", nothing was promoted");
    }
    stopFollowing(last);
    promote(last, epoch);
    return complete("planned", start, last, epoch, true, 0, 0);
  }

  /**
   * The primary runs in another process: it is asked to hand over (it stops taking input, fences
   * its journal and sends every record), the standby drains to where it stopped, fences its own
   * journal at least as high, compares digests and promotes.
   */
  private SwitchReport plannedWithRemotePrimary() throws Exception {
    long start = System.nanoTime();
    RemotePrimary.Handover handover = parts.remotePrimary().handover(settings.drainTimeout());
    long last = handover.lastSequence();
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_FENCED)
            .epoch(handover.epoch())
            .journalSeq(last)
            .message(
                "the primary handed over: it takes no more input and its journal is fenced at epoch "
                    + handover.epoch()
                    + " after sequence "
                    + last));
    if (!parts.standby().awaitApplied(last, settings.drainTimeout())) {
      throw failed(
          "planned",
          start,
          "the standby applied "
              + parts.standby().appliedSequence()
              + " of the primary's "
              + last
              + " records within "
              + settings.drainTimeout().toMillis()
              + " ms; the old primary stays stopped and fenced at epoch "
              + handover.epoch()
              + ", nothing was promoted");
    }
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_DRAINED)
            .journalSeq(last)
            .message("the standby applied every record up to " + last));
    parts.stopPrimary().run(); // stop listening to the old primary
    long epoch = fence("planned", start, Math.max(parts.journal().epoch() + 1, handover.epoch()));
    DigestValue standby = parts.standbyDigest().get();
    if (parts.journal().lastSequence() != last || !handover.digest().equals(standby)) {
      throw failed(
          "planned",
          start,
          (parts.journal().lastSequence() != last
                  ? "the standby's journal ends at "
                      + parts.journal().lastSequence()
                      + ", not at the primary's "
                      + last
                  : "digests differ at the switch sequence "
                      + last
                      + ": primary "
                      + handover.digest()
                      + ", standby "
                      + standby)
              + "; the old primary stays stopped and fenced at epoch "
              + handover.epoch()
              + ", nothing was promoted");
    }
    stopFollowing(last);
    promote(last, epoch);
    return complete("planned", start, last, epoch, true, 0, 0);
  }

  @Override
  public SwitchReport failover(Approval approval) throws Exception {
    events.publish(
        LogRecord.builder(StabilityEventCode.FAILOVER_STARTED)
            .message(
                "failover of "
                    + settings.service()
                    + " to "
                    + settings.standbyAddress()
                    + " requested")
            .attr("service", settings.service()));
    SwitchReadiness readiness = gates(approval, "failover", false);
    if (!readiness.ready()) {
      events.publish(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_GATE_FAILED)
              .message("failover refused: " + readiness.failures())
              .attr("service", settings.service()));
      throw new SwitchRefusedException("failover refused: " + readiness.failures(), readiness);
    }
    SwitchReport report = operations.perform(approval, this::emergency);
    // The loss report goes in the operation log too, next to the failover it belongs to (R18).
    recordLossReport(
        approval.request().operation().operator(),
        "records that may be lost in failover " + approval.id(),
        report);
    return report;
  }

  /** The loss report goes in the operation log next to the failover it belongs to (R18). */
  private void recordLossReport(String operator, String reason, SwitchReport report) {
    operations.record(
        Operation.builder("failover.loss-report", Risk.ROUTINE)
            .operator(operator)
            .reason(reason)
            .target(settings.service())
            .param("switch_sequence", report.switchSequence())
            .param("lost_from", report.lostFrom())
            .param("lost_to", report.lostTo())
            .build(),
        true,
        report.possiblyLost() == 0
            ? "no record lost"
            : report.possiblyLost()
                + " records may be lost: "
                + report.lostFrom()
                + ".."
                + report.lostTo());
  }

  @Override
  public SwitchReport failoverAutomatically(String trigger) throws Exception {
    if (parts.lease() == null) {
      throw new SwitchRefusedException(
          "an automatic failover needs a role lease (SwitchParticipants.lease): without one nothing"
              + " proves the old primary is gone",
          null);
    }
    events.publish(
        LogRecord.builder(StabilityEventCode.FAILOVER_STARTED)
            .message(
                "automatic failover of "
                    + settings.service()
                    + " to "
                    + settings.standbyAddress()
                    + ": "
                    + trigger)
            .attr("service", settings.service())
            .attr("policy", "AUTOMATIC"));
    // The approval and the change window are what the policy replaces; every other gate holds.
    List<Gate> gates = new ArrayList<>();
    for (Gate gate : gates(null, "failover", false).gates()) {
      if (!gate.name().equals("approval") && !gate.name().equals("change-window")) {
        gates.add(gate);
      }
    }
    SwitchReadiness readiness = new SwitchReadiness(gates);
    if (!readiness.ready()) {
      events.publish(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_GATE_FAILED)
              .message("automatic failover refused: " + readiness.failures())
              .attr("service", settings.service()));
      throw new SwitchRefusedException(
          "automatic failover refused: " + readiness.failures(), readiness);
    }
    Operation operation =
        Operation.builder("failover", Risk.HIGH)
            .operator("policy:automatic")
            .target(settings.service())
            .reason(trigger)
            .param("participant", parts.lease().participant())
            .emergency(true)
            .build();
    SwitchReport report;
    try {
      report = emergency();
    } catch (Exception | Error e) {
      operations.record(operation, false, "automatic failover failed: " + e);
      throw e;
    }
    operations.record(
        operation,
        true,
        "automatic failover: "
            + parts.lease().participant()
            + " took the role at epoch "
            + report.epoch()
            + " from sequence "
            + report.switchSequence());
    recordLossReport(
        "policy:automatic", "records that may be lost in the automatic failover", report);
    return report;
  }

  private SwitchReport emergency() throws Exception {
    long start = System.nanoTime();
    try {
      parts.stopPrimary().run();
    } catch (RuntimeException gone) {
      events.publish(
          LogRecord.builder(StabilityEventCode.FAILOVER_STARTED)
              .message("the old primary could not be stopped (" + gone + "): taken as gone")
              .error(gone));
    }
    long epoch = fence("failover", start);
    long durable = parts.journal().durableSequence();
    long last = parts.journal().lastSequence();
    if (!parts.standby().awaitApplied(last, settings.drainTimeout())) {
      // Promoting now would leave records in the journal that the new primary's state lacks, and
      // every later rebuild would apply them: the standby must be repaired first.
      throw failed(
          "failover",
          start,
          "the standby applied "
              + parts.standby().appliedSequence()
              + " of the "
              + last
              + " records in the journal"
              + parts.standby().failure().map(f -> " and stopped: " + f.getMessage()).orElse("")
              + "; the old primary is fenced at epoch "
              + epoch
              + ", nothing was promoted");
    }
    stopFollowing(last);
    // Records after the last durable one were never acknowledged: clients may send them again.
    // A primary in another process may have had more than ever reached this journal: those too.
    long primaryLast = Math.max(last, parts.primaryLastSequence().getAsLong());
    long lostFrom = last > durable ? durable + 1 : primaryLast > last ? last + 1 : 0;
    long lostTo = lostFrom == 0 ? 0 : primaryLast;
    boolean equal;
    try {
      equal = parts.primaryDigest().get().equals(parts.standbyDigest().get());
    } catch (RuntimeException gone) {
      equal = false; // the primary is gone: its digest cannot be read
    }
    promote(last, epoch);
    events.publish(
        LogRecord.builder(StabilityEventCode.FAILOVER_COMPLETED)
            .journalSeq(last)
            .epoch(epoch)
            .message(
                "failover of "
                    + settings.service()
                    + " completed from sequence "
                    + last
                    + (lostTo == 0
                        ? ": every record was durable, none lost"
                        : primaryLast > last
                            ? ": records "
                                + lostFrom
                                + ".."
                                + lostTo
                                + " of the old primary never reached this journal, as far as it"
                                + " told (under ASYNC it may have acknowledged some, and held"
                                + " more: journals().reconcile with its journal names them"
                                + " exactly; under SEMI_SYNC none acknowledged); clients resend"
                                + " what they were not acknowledged"
                            : ": records "
                                + lostFrom
                                + ".."
                                + lostTo
                                + " were not yet durable (never acknowledged); clients may resend"
                                + " them"))
            .attr("lost_from", lostFrom)
            .attr("lost_to", lostTo));
    return complete("failover", start, last, epoch, equal, lostFrom, lostTo);
  }

  private long fence(String kind, long start) {
    return fence(kind, start, parts.journal().epoch() + 1);
  }

  /** Fences the journal at {@code atLeast} or, with a lease, at the epoch the lease is granted. */
  private long fence(String kind, long start, long atLeast) {
    long epoch = atLeast;
    if (parts.lease() != null) {
      OptionalLong granted;
      try {
        granted = parts.lease().acquire(atLeast - 1, settings.drainTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        granted = OptionalLong.empty();
      } catch (IllegalStateException e) {
        throw failed(
            kind,
            start,
            "the role lease cannot be taken: "
                + e.getMessage()
                + "; the journal is not fenced, nothing was promoted");
      }
      if (granted.isEmpty()) {
        throw failed(
            kind,
            start,
            "the role lease was not granted to "
                + parts.lease().participant()
                + " within "
                + settings.drainTimeout().toMillis()
                + " ms ("
                + parts
                    .lease()
                    .holder()
                    .map(h -> "held by " + h.participant() + " at epoch " + h.epoch())
                    .orElse("the coordination service did not answer")
                + "); the journal is not fenced, nothing was promoted");
      }
      epoch = granted.getAsLong();
    }
    parts.journal().fence(epoch);
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_FENCED)
            .epoch(epoch)
            .message(
                "epoch bumped to " + epoch + ": appends of older epochs are refused from now on"));
    return epoch;
  }

  /** Stops the follower at a record boundary and checks it stopped exactly at {@code last}. */
  private void stopFollowing(long last) {
    parts.standby().close();
    long applied = parts.standby().appliedSequence();
    if (applied != last) {
      throw new SwitchRefusedException(
          "the standby stopped at " + applied + ", not at the switch sequence " + last, null);
    }
  }

  /** Promotes the standby and points clients at it (the old epoch is already fenced). */
  private void promote(long sequence, long epoch) {
    // Before the new primary takes input: an OPEN breaker must refuse its first call already.
    try {
      taken = warm.takeGuards();
    } catch (RuntimeException e) {
      events.publish(
          LogRecord.builder(StabilityEventCode.WARM_STATE_NOT_INHERITED)
              .epoch(epoch)
              .error(e)
              .attr("part", "all")
              .message(
                  "the new primary could not take over the old primary's state ("
                      + e
                      + "); it starts cold: breakers closed, peaks and the operation log's chain"
                      + " as this runtime had them"));
    }
    parts.promote().accept(epoch);
    role.accept(Role.PRIMARY);
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_PROMOTED)
            .journalSeq(sequence)
            .epoch(epoch)
            .message(
                settings.standbyAddress()
                    + " is primary of "
                    + settings.service()
                    + " from sequence "
                    + (sequence + 1)
                    + " at epoch "
                    + epoch));
    try {
      parts.registry().publish(settings.service(), settings.standbyAddress(), epoch);
      events.publish(
          LogRecord.builder(StabilityEventCode.ENDPOINT_REGISTRY_UPDATED)
              .epoch(epoch)
              .message(
                  "endpoint registry: "
                      + settings.service()
                      + " -> "
                      + settings.standbyAddress()
                      + " at epoch "
                      + epoch)
              .attr("service", settings.service())
              .attr("address", settings.standbyAddress()));
    } catch (RuntimeException e) {
      // The promotion stands; clients still find it through their pre-registered addresses.
      events.publish(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_FAILED)
              .epoch(epoch)
              .message(
                  "the new primary is promoted, but the endpoint registry could not be updated: "
                      + e
                      + "; clients reach it through their pre-registered addresses")
              .error(e));
    }
  }

  private SwitchReport complete(
      String kind,
      long start,
      long sequence,
      long epoch,
      boolean equal,
      long lostFrom,
      long lostTo) {
    long took = System.nanoTime() - start;
    meters
        .timer(StabilityMetric.SWITCHOVER_DURATION, "kind", kind, "outcome", "success")
        .record(took, TimeUnit.NANOSECONDS);
    finishInheritance(epoch);
    String hook = "ok";
    try {
      parts.afterSwitch().run();
    } catch (RuntimeException e) {
      hook = "failed: " + e;
    }
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_COMPLETED)
            .journalSeq(sequence)
            .epoch(epoch)
            .durationMicros(took / 1_000)
            .message(
                kind
                    + " of "
                    + settings.service()
                    + " completed: takeover "
                    + String.format(Locale.ROOT, "%.1f", took / 1e6)
                    + " ms, switch sequence "
                    + sequence
                    + ", epoch "
                    + epoch
                    + ", digests "
                    + (equal ? "equal" : "DIFFERENT")
                    + ", post-switch hook "
                    + hook)
            .attr("kind", kind)
            .attr("takeover_ms", String.format(Locale.ROOT, "%.3f", took / 1e6))
            .attr("lost", lostTo == 0 ? 0 : lostTo - lostFrom + 1)
            .attr("post_switch", hook));
    return new SwitchReport(kind, sequence, epoch, Duration.ofNanos(took), equal, lostFrom, lostTo);
  }

  /** The rest of the warm state, once the new primary takes input (see promote). */
  private void finishInheritance(long epoch) {
    DefaultWarmStandby.Taken step = taken;
    taken = null;
    try {
      warm.finish(step);
    } catch (RuntimeException e) {
      events.publish(
          LogRecord.builder(StabilityEventCode.WARM_STATE_NOT_INHERITED)
              .epoch(epoch)
              .error(e)
              .attr("part", "all but the guards")
              .message(
                  "the new primary took over the old primary's guards but not the rest of its"
                      + " state ("
                      + e
                      + "): capacity peaks, health and the operation log's chain are as this"
                      + " runtime had them"));
    }
  }

  private SwitchRefusedException failed(String kind, long start, String reason) {
    meters
        .timer(StabilityMetric.SWITCHOVER_DURATION, "kind", kind, "outcome", "failure")
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    events.publish(
        LogRecord.builder(StabilityEventCode.SWITCHOVER_FAILED)
            .message(kind + " of " + settings.service() + " failed: " + reason)
            .attr("kind", kind));
    return new SwitchRefusedException(kind + " failed: " + reason, null);
  }
}
