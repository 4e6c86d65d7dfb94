package dev.stability.core.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.fixtures.RuntimeUnderTest;
import dev.stability.core.operations.OperationRefusedException.Refusal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  // Monday 2026-11-30, 10:00 in Shanghai: the continuous morning session is open.
  private final ManualClock clock =
      ManualClock.at(
          LocalDateTime.parse("2026-11-30T10:00:00").atZone(SHANGHAI).toInstant(), SHANGHAI);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @TempDir Path dir;
  @RegisterExtension final RuntimeUnderTest test = new RuntimeUnderTest();
  private StabilityRuntime runtime;
  private final AtomicInteger performed = new AtomicInteger();

  private Operations operations(OperationSettings.Builder settings) {
    runtime = test.start(b -> b.clock(clock).meterRegistry(registry).operations(settings.build()));
    return runtime.operations();
  }

  private OperationSettings.Builder withCalendar() {
    return OperationSettings.builder()
        .calendar(TradingCalendar.chinaEquities().build())
        .logFile(dir.resolve("operations.jsonl"));
  }

  private List<LogRecord> events(StabilityEventCode code) {
    return test.delivered(code);
  }

  private static Operation.Builder forceOpen(String operator) {
    return Operation.builder("guard.force-open", Risk.RISKY)
        .target("exchange-link")
        .operator(operator)
        .reason("exchange announced maintenance");
  }

  private static Operation.Builder switchover(String operator) {
    return Operation.builder("switchover", Risk.HIGH)
        .target("oms-b1")
        .operator(operator)
        .reason("planned move to DC2");
  }

  private Integer act() {
    return performed.incrementAndGet();
  }

  @Test
  void riskyOperationInATradingSessionIsRefusedWithTheSessionAndItsEnd() throws Exception {
    Operations ops = operations(withCalendar());
    assertThatThrownBy(() -> ops.perform(forceOpen("zhang.san").build(), this::act))
        .isInstanceOf(OperationRefusedException.class)
        .hasMessage(
            "guard.force-open refused: trading session continuous-morning is open from 09:30 until"
                + " 11:30 Asia/Shanghai on 2026-11-30; risky operations wait for the session to"
                + " close or are declared an emergency with a second person's approval")
        .extracting(e -> ((OperationRefusedException) e).refusal())
        .isEqualTo(Refusal.CHANGE_WINDOW);
    assertThat(performed).hasValue(0);
    assertThat(events(StabilityEventCode.CHANGE_WINDOW_REFUSED))
        .singleElement()
        .satisfies(e -> assertThat(e.attrs()).containsEntry("session", "continuous-morning"));
    assertThat(registry.get("stability.change.window.refusals").counter().count()).isEqualTo(1);
    assertThat(ops.log().tail(1).get(0).code()).isEqualTo("CHANGE_WINDOW_REFUSED");
  }

  @Test
  void theMiddayBreakIsTradingHoursUnlessBreaksAreLeftOpen() throws Exception {
    clock.advance(Duration.ofMinutes(100)); // 11:40, the midday break
    Operations ops = operations(withCalendar());
    assertThatThrownBy(() -> ops.perform(forceOpen("zhang.san").build(), this::act))
        .hasMessageStartingWith(
            "guard.force-open refused: the market is in the break after continuous-morning, from"
                + " 11:30 until 13:00 Asia/Shanghai on 2026-11-30");
    runtime.close();

    Operations open = operations(withCalendar().maxFrozenBreak(Duration.ZERO));
    assertThat(open.perform(forceOpen("zhang.san").build(), this::act)).isEqualTo(1);
  }

  @Test
  void riskyOperationOutsideSessionsRunsAndIsRecorded() throws Exception {
    clock.advance(Duration.ofMinutes(330)); // 15:30, after the close
    Operations ops = operations(withCalendar());
    assertThat(ops.perform(forceOpen("zhang.san").build(), this::act)).isEqualTo(1);
    LogRecord record = ops.log().tail(1).get(0);
    assertThat(record.code()).isEqualTo("OPERATION_EXECUTED");
    assertThat(record.get(dev.stability.api.event.LogField.OPERATOR)).isEqualTo("zhang.san");
    assertThat(record.get(dev.stability.api.event.LogField.OUTCOME)).isEqualTo(Outcome.SUCCESS);
    assertThat(record.attrs())
        .containsEntry("action", "guard.force-open")
        .containsEntry("target", "exchange-link")
        .containsEntry("reason", "exchange announced maintenance")
        .containsEntry("op_seq", "2");
    // Written before the action ran, so a crash in the middle still leaves a trace.
    LogRecord started = ops.log().tail(2).get(0);
    assertThat(started.code()).isEqualTo("OPERATION_STARTED");
    assertThat(started.seq()).isEqualTo(record.seq());
  }

  @Test
  void marginAroundSessionsFreezesChangesBeforeTheOpen() {
    clock.advance(Duration.ofHours(5).plusMinutes(58)); // 15:58, after the close
    Operations late = operations(withCalendar().changeWindowMargin(Duration.ofMinutes(60)));
    assertThatThrownBy(() -> late.perform(forceOpen("zhang.san").build(), this::act))
        .hasMessageContaining("trading session closing-call is open from 14:57 until 15:00")
        .hasMessageContaining("(changes are frozen 60 min around it)");
  }

  @Test
  void emergencyInSessionNeedsApprovalAndIsRecordedWithBothNames() throws Exception {
    Operations ops = operations(withCalendar());
    Operation emergency = forceOpen("zhang.san").emergency(true).build();
    assertThatThrownBy(() -> ops.perform(emergency, this::act))
        .hasMessage(
            "guard.force-open declared an emergency and needs a second person's approval (R5):"
                + " request(...) it, then approve(...) as another operator");

    OperationRequest request = ops.request(emergency);
    Approval approval = ops.approve(request.id(), "li.si");
    assertThat(ops.perform(approval, this::act)).isEqualTo(1);

    List<LogRecord> tail = ops.log().tail(4);
    assertThat(tail)
        .extracting(LogRecord::code)
        .containsExactly(
            "OPERATION_APPROVED", "EMERGENCY_DECLARED", "OPERATION_STARTED", "OPERATION_EXECUTED");
    LogRecord executed = tail.get(3);
    assertThat(executed.get(dev.stability.api.event.LogField.OPERATOR)).isEqualTo("zhang.san");
    assertThat(executed.get(dev.stability.api.event.LogField.REVIEWER)).isEqualTo("li.si");
    assertThat(executed.attrs()).containsEntry("emergency", "true");
    assertThat(executed.seq()).isEqualTo(request.id());
    assertThat(events(StabilityEventCode.EMERGENCY_DECLARED)).hasSize(1);
  }

  @Test
  void highRiskOperationCannotRunWithoutAnApproval() {
    Operations ops = operations(OperationSettings.builder());
    assertThatThrownBy(() -> ops.perform(switchover("zhang.san").build(), this::act))
        .isInstanceOf(OperationRefusedException.class)
        .hasMessageStartingWith("switchover is high risk and needs a second person's approval");
    assertThat(performed).hasValue(0);
  }

  @Test
  void selfApprovalIsRefusedAndTheRequestStaysPendingForSomeoneElse() throws Exception {
    Operations ops = operations(OperationSettings.builder());
    OperationRequest request = ops.request(switchover("zhang.san").build());
    assertThatThrownBy(() -> ops.approve(request.id(), "Zhang.San "))
        .isInstanceOf(OperationRefusedException.class)
        .hasMessage(
            "Zhang.San  cannot approve their own request "
                + request.id()
                + " (switchover): a second person must (R5)")
        .extracting(e -> ((OperationRefusedException) e).refusal())
        .isEqualTo(Refusal.SELF_APPROVAL);
    Approval approval = ops.approve(request.id(), "li.si");
    assertThat(ops.perform(approval, this::act)).isEqualTo(1);
  }

  @Test
  void lateApprovalsAndLatePerformancesAreRefused() {
    Operations ops = operations(OperationSettings.builder().approvalTimeout(Duration.ofMinutes(5)));
    OperationRequest stale = ops.request(switchover("zhang.san").build());
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThatThrownBy(() -> ops.approve(stale.id(), "li.si"))
        .hasMessageContaining("expired at")
        .hasMessageEndingWith("approvals must come within 5 min of the request; request it again");
    assertThatThrownBy(() -> ops.approve(stale.id(), "li.si"))
        .extracting(e -> ((OperationRefusedException) e).refusal())
        .isEqualTo(Refusal.NOT_VALID);

    OperationRequest fresh = ops.request(switchover("zhang.san").build());
    Approval approval = ops.approve(fresh.id(), "li.si");
    clock.advance(Duration.ofMinutes(6));
    assertThatThrownBy(() -> ops.perform(approval, this::act))
        .extracting(e -> ((OperationRefusedException) e).refusal())
        .isEqualTo(Refusal.EXPIRED);
    assertThat(performed).hasValue(0);
  }

  @Test
  void anApprovalIsUsedOnceAndAMadeUpOneIsRefused() throws Exception {
    Operations ops = operations(OperationSettings.builder());
    OperationRequest request = ops.request(switchover("zhang.san").build());
    Approval approval = ops.approve(request.id(), "li.si");
    ops.perform(approval, this::act);
    assertThatThrownBy(() -> ops.perform(approval, this::act))
        .hasMessageContaining("was not issued by this runtime or was already used");

    OperationRequest other = ops.request(switchover("zhang.san").build());
    Approval real = ops.approve(other.id(), "li.si");
    // An equal copy (every field is in the log for anyone to read) is not the approval.
    Approval copy =
        new Approval(real.request(), real.reviewer(), real.approvedAt(), real.performBy());
    assertThat(copy).isEqualTo(real);
    assertThatThrownBy(() -> ops.perform(copy, this::act))
        .extracting(e -> ((OperationRefusedException) e).refusal())
        .isEqualTo(Refusal.NOT_VALID);
    assertThat(performed).hasValue(1);
    assertThat(ops.perform(real, this::act)).isEqualTo(2);
  }

  @Test
  void aFailingOperationIsRecordedAsAFailureAndItsExceptionReachesTheCaller() throws Exception {
    Operations ops = operations(OperationSettings.builder());
    Operation op =
        Operation.builder("reload.limits", Risk.ROUTINE)
            .operator("wang.wu")
            .reason("new file")
            .build();
    assertThatThrownBy(
            () ->
                ops.perform(
                    op,
                    () -> {
                      throw new IllegalStateException("limits file missing");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limits file missing");
    LogRecord record = ops.log().tail(1).get(0);
    assertThat(record.get(dev.stability.api.event.LogField.OUTCOME)).isEqualTo(Outcome.FAILURE);
    assertThat(record.get(dev.stability.api.event.LogField.ERROR_MESSAGE))
        .isEqualTo("limits file missing");
    assertThat(
            registry
                .get("stability.operations")
                .tag("action", "reload.limits")
                .tag("outcome", "failure")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void badOperationsNameWhatIsMissing() {
    assertThatThrownBy(() -> Operation.builder("switchover", Risk.HIGH).reason("x").build())
        .hasMessage("operation switchover needs an operator (R5)");
    assertThatThrownBy(() -> Operation.builder("switchover", Risk.HIGH).operator("a").build())
        .hasMessage("operation switchover needs a reason (R5)");
    assertThatThrownBy(
            () -> Operation.builder("Switch Over", Risk.HIGH).operator("a").reason("b").build())
        .hasMessageStartingWith("operation action 'Switch Over' must start with a lower case");
    assertThatThrownBy(
            () ->
                Operation.builder("operation-log.purge", Risk.ROUTINE)
                    .operator("a")
                    .reason("b")
                    .build())
        .hasMessage(
            "operation action 'operation-log.purge': names starting with operation-log. are the"
                + " SDK's");
    assertThatThrownBy(() -> OperationSettings.builder().chainKey(new byte[8]).build())
        .hasMessage("operations.chain-key = '<hidden>': must have at least 32 bytes");
    assertThatThrownBy(() -> OperationSettings.builder().retention(Duration.ofDays(30)).build())
        .hasMessage(
            "operations.retention = PT720H: must be at least 365 days (R4: logs are kept a year)");
    assertThatThrownBy(
            () -> OperationSettings.builder().approvalTimeout(Duration.ofSeconds(1)).build())
        .hasMessage("operations.approval-timeout = PT1S: must be between 10 s and 24 h");
  }

  @Test
  void recordsSurviveARestartAndTheChainContinues() throws Exception {
    clock.advance(Duration.ofHours(8)); // 18:00
    Operations ops = operations(withCalendar());
    ops.perform(forceOpen("zhang.san").build(), this::act);
    runtime.close();

    Operations again = operations(withCalendar());
    again.record(forceOpen("zhang.san").build(), true, "done by hand on the gateway console");
    assertThat(again.log().tail(5))
        .extracting(r -> r.attrs().get("op_seq"))
        .containsExactly("1", "2", "3");
    assertThat(again.log().verify().intact()).isTrue();
    assertThat(Files.readAllLines(dir.resolve("operations.jsonl"))).hasSize(3);
  }

  @Test
  void requestsThatExpireUnapprovedAreRecordedAsRefused() {
    Operations ops = operations(OperationSettings.builder().approvalTimeout(Duration.ofMinutes(5)));
    OperationRequest forgotten = ops.request(switchover("zhang.san").build());
    clock.advance(Duration.ofMinutes(6));
    ops.request(switchover("wang.wu").build()); // any later call tidies up
    List<LogRecord> tail = ops.log().tail(2);
    assertThat(tail.get(0).code()).isEqualTo("OPERATION_REFUSED");
    assertThat(tail.get(0).seq()).isEqualTo(forgotten.id());
    assertThat(tail.get(0).attrs()).containsEntry("refusal", "expired");
  }

  @Test
  void anOperationPerformedButNotRecordedSaysSoAndIsNotReportedAsAFailure() throws Exception {
    Operations ops =
        operations(OperationSettings.builder().logFile(dir.resolve("operations.jsonl")));
    Operation op =
        Operation.builder("reload.limits", Risk.ROUTINE)
            .operator("wang.wu")
            .reason("new file")
            .build();
    assertThatThrownBy(
            () ->
                ops.perform(
                    op,
                    () -> {
                      // The log becomes unwritable while the action runs.
                      ((dev.stability.core.operations.internal.DefaultOperations) ops).close();
                      return act();
                    }))
        .isInstanceOf(OperationLogException.class)
        .hasMessageContaining("reload.limits (")
        .hasMessageContaining("WAS PERFORMED successfully but its outcome could not be recorded");
    assertThat(performed).hasValue(1);
    assertThat(events(StabilityEventCode.OPERATION_EXECUTED))
        .as("the outcome still reaches the event output")
        .hasSize(1);
  }
}
