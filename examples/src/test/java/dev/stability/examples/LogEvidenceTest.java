package dev.stability.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.operations.OperationLog;
import dev.stability.testkit.evidence.EvidenceReport.Evidence;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The log evidence fails on what a log really shows: a leak, a missing field, no category. */
class LogEvidenceTest {

  private static final String MASKED =
      "{\"ts\":\"2026-11-28T20:00:12+08:00\",\"category\":\"BUSINESS\",\"code\":\"APP_BUSINESS\","
          + "\"msg\":\"order 1 refused\",\"account\":\"****0183\"}";
  private static final String CALL =
      "{\"ts\":\"2026-11-28T20:00:16+08:00\",\"category\":\"INTERFACE\",\"system\":\"FUT\","
          + "\"instance\":\"fut-a1\",\"code\":\"APP_INTERFACE_CALL\",\"seq\":\"CLR-00000001\","
          + "\"interface\":\"clearing.send\",\"peer\":\"CLEARING\",\"duration_us\":87,"
          + "\"outcome\":\"%s\"%s}";
  private static final String OPERATION =
      "{\"ts\":\"2026-11-28T20:00:20+08:00\",\"category\":\"OPERATION\",\"code\":\"X\"}";

  @Test
  void maskedAccountsPassAndAnAccountInClearAnywhereFails() {
    Set<String> accounts = Set.of("10000183", "10000001");
    assertThat(LogEvidence.masking("t", List.of(MASKED), accounts, "log").passed()).isTrue();

    String leak =
        "{\"category\":\"SYSTEM\",\"code\":\"CONSISTENCY_DIFF_READY\","
            + "\"msg\":\"position [10000001, IF2612] long 1 vs 8\"}";
    Evidence failed = LogEvidence.masking("t", List.of(MASKED, leak), accounts, "log");
    assertThat(failed.passed()).isFalse();
    assertThat(failed.measured())
        .contains("1 account numbers in clear in 2 lines of log")
        .contains("CONSISTENCY_DIFF_READY");
    assertThat(LogEvidence.masking("t", List.of(OPERATION), accounts, "log").passed())
        .as("no record named an account: nothing was shown masked")
        .isFalse();
  }

  @Test
  void anInterfaceRecordWithoutPeerOrAFaultWithoutFailedCallsFails() {
    String ok = String.format(CALL, "SUCCESS", "");
    String failed = String.format(CALL, "FAILURE", ",\"error.type\":\"java.net.ConnectException\"");
    assertThat(LogEvidence.interfaceCalls("t", List.of(ok, failed), true, "log").passed()).isTrue();

    Evidence noPeer =
        LogEvidence.interfaceCalls(
            "t", List.of(ok.replace("\"peer\":\"CLEARING\",", ""), failed), true, "log");
    assertThat(noPeer.passed()).isFalse();
    assertThat(noPeer.measured()).contains("1 without serial").contains("lacks [peer]");

    Evidence unseenFault = LogEvidence.interfaceCalls("t", List.of(ok), true, "log");
    assertThat(unseenFault.passed()).isFalse();
    assertThat(unseenFault.measured()).contains("the injected fault left no failed call");

    String failedWithoutError = String.format(CALL, "FAILURE", "");
    assertThat(
            LogEvidence.interfaceCalls("t", List.of(ok, failedWithoutError), true, "log").passed())
        .isFalse();
  }

  @Test
  void aRecordWithoutCategoryOrAShortRetentionFails() {
    OperationLog.Verification intact = new OperationLog.Verification(5, 1, Optional.empty());
    List<String> lines = List.of(MASKED, String.format(CALL, "SUCCESS", ""), OPERATION);
    Duration year = Duration.ofDays(366);
    assertThat(LogEvidence.retention("t", lines, intact, year, "refused", "log").passed()).isTrue();

    List<String> uncategorised =
        List.of(MASKED, String.format(CALL, "SUCCESS", ""), OPERATION, "{\"code\":\"X\"}");
    assertThat(LogEvidence.retention("t", uncategorised, intact, year, "refused", "log").measured())
        .contains("1 without one");
    assertThat(LogEvidence.retention("t", uncategorised, intact, year, "refused", "log").passed())
        .isFalse();
    assertThat(
            LogEvidence.retention("t", lines, intact, Duration.ofDays(30), "refused", "log")
                .passed())
        .isFalse();
    assertThat(LogEvidence.retention("t", lines, intact, year, null, "log").measured())
        .contains("a 30-day retention is ACCEPTED");
    assertThat(LogEvidence.retention("t", lines, null, year, "refused", "log").passed())
        .as("an operation log that was not verified")
        .isFalse();
  }
}
