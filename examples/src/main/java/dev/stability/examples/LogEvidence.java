package dev.stability.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.event.Category;
import dev.stability.core.operations.OperationLog;
import dev.stability.testkit.evidence.EvidenceReport.Evidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evidence read from the records a run wrote (R4, R16, R17): the JSON lines of the event log, each
 * checked, counted and reported with what was found, so that a missing field, a record without a
 * category or an account number in clear makes the evidence fail. Stateless.
 */
public final class LogEvidence {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EIGHT_OR_MORE_DIGITS =
      Pattern.compile("(?<![0-9])[0-9]{8,}(?![0-9])");

  /** The fields JR/T 0185 asks of an interface record, by their schema keys (R17). */
  static final List<String> INTERFACE_FIELDS =
      List.of("seq", "system", "instance", "interface", "peer", "duration_us", "ts", "outcome");

  private LogEvidence() {}

  /**
   * R16: every record that names an account carries it masked, and no account number appears in
   * clear anywhere in a line (message, attributes, any field).
   *
   * @param test the test (step) the evidence comes from
   * @param lines the event log's JSON lines
   * @param accounts every account number the run used, as written in clear
   * @param source where the lines were read, for the narration
   */
  public static Evidence masking(
      String test, List<String> lines, Set<String> accounts, String source) {
    long named = 0;
    long maskedNamed = 0;
    long leaks = 0;
    String example = null;
    List<String> leaking = new ArrayList<>();
    for (String line : lines) {
      JsonNode record = parse(line);
      JsonNode account = record.get("account");
      if (account != null) {
        named++;
        String value = account.asText();
        if (value.contains("*") && !accounts.contains(value)) {
          maskedNamed++;
          example = example == null ? value : example;
        }
      }
      Matcher digits = EIGHT_OR_MORE_DIGITS.matcher(line);
      while (digits.find()) {
        if (accounts.contains(digits.group())) {
          leaks++;
          if (leaking.size() < 3) {
            leaking.add(record.path("code").asText() + ": " + record.path("msg").asText());
          }
        }
      }
    }
    boolean passed = named > 0 && maskedNamed == named && leaks == 0;
    return new Evidence(
        "R16",
        test,
        String.format(
                Locale.ROOT,
                "%d of %d records naming an account carry it masked (e.g. %s); %d account numbers"
                    + " in clear in %d lines of %s",
                maskedNamed,
                named,
                example == null ? "none" : example,
                leaks,
                lines.size(),
                source)
            + (leaking.isEmpty() ? "" : ": " + leaking),
        passed,
        json(
            Map.of(
                "lines",
                lines.size(),
                "records_naming_an_account",
                named,
                "masked",
                maskedNamed,
                "accounts_in_clear",
                leaks,
                "first_leaks",
                leaking,
                "source",
                source)));
  }

  /**
   * R17: every interface record carries serial, application (system and instance), interface, peer,
   * duration, time and result, failed calls carry their error, and the run's dependency fault shows
   * as failed calls ({@code faultInjected}: the run made the peer fail).
   */
  public static Evidence interfaceCalls(
      String test, List<String> lines, boolean faultInjected, String source) {
    long records = 0;
    long incomplete = 0;
    long failedWithoutError = 0;
    Map<String, Long> outcomes = new TreeMap<>();
    Map<String, Long> interfaces = new TreeMap<>();
    Map<String, Long> errors = new TreeMap<>();
    String firstIncomplete = null;
    for (String line : lines) {
      JsonNode record = parse(line);
      if (!Category.INTERFACE.name().equals(record.path("category").asText())) {
        continue;
      }
      records++;
      List<String> missing = new ArrayList<>();
      for (String field : INTERFACE_FIELDS) {
        if (!record.hasNonNull(field) || record.get(field).asText().isBlank()) {
          missing.add(field);
        }
      }
      if (!missing.isEmpty()) {
        incomplete++;
        firstIncomplete =
            firstIncomplete == null
                ? record.path("seq").asText("?") + " lacks " + missing
                : firstIncomplete;
      }
      String outcome = record.path("outcome").asText("?");
      outcomes.merge(outcome, 1L, Long::sum);
      interfaces.merge(
          record.path("interface").asText("?") + " -> " + record.path("peer").asText("?"),
          1L,
          Long::sum);
      if (outcome.equals("FAILURE")) {
        String error = record.path("error.type").asText("");
        if (error.isEmpty()) {
          failedWithoutError++;
        } else {
          errors.merge(error.substring(error.lastIndexOf('.') + 1), 1L, Long::sum);
        }
      }
    }
    long failed = outcomes.getOrDefault("FAILURE", 0L) + outcomes.getOrDefault("REJECTED", 0L);
    boolean passed =
        records > 0 && incomplete == 0 && failedWithoutError == 0 && (!faultInjected || failed > 0);
    return new Evidence(
        "R17",
        test,
        String.format(
                Locale.ROOT,
                "%d interface records %s in %s, %d without serial, application, interface, peer,"
                    + " duration, time or result; results %s; failed calls name their error %s",
                records,
                interfaces.keySet(),
                source,
                incomplete,
                outcomes,
                errors)
            + (firstIncomplete == null ? "" : "; first incomplete: " + firstIncomplete)
            + (faultInjected && failed == 0 ? "; the injected fault left no failed call" : ""),
        passed,
        json(
            Map.of(
                "records",
                records,
                "incomplete",
                incomplete,
                "outcomes",
                outcomes,
                "interfaces",
                interfaces,
                "errors",
                errors,
                "failed_without_error",
                failedWithoutError,
                "required_fields",
                INTERFACE_FIELDS)));
  }

  /**
   * R4: every record of the event log carries one of the schema's categories, and the operation log
   * is intact (null: not verified, which fails) and kept at least a year ({@code refusal}: what the
   * SDK said to a shorter retention, or null if it accepted one).
   */
  public static Evidence retention(
      String test,
      List<String> lines,
      OperationLog.Verification operations,
      Duration retention,
      String refusal,
      String source) {
    OperationLog.Verification oplog =
        operations != null
            ? operations
            : new OperationLog.Verification(0, 0, java.util.Optional.empty());
    Map<String, Long> categories = new TreeMap<>();
    long uncategorised = 0;
    for (String line : lines) {
      String category = parse(line).path("category").asText("");
      if (isCategory(category)) {
        categories.merge(category, 1L, Long::sum);
      } else {
        uncategorised++;
      }
    }
    boolean passed =
        !lines.isEmpty()
            && uncategorised == 0
            && categories.size() >= 3
            && oplog.intact()
            && oplog.records() > 0
            && retention.toDays() >= 365
            && refusal != null;
    return new Evidence(
        "R4",
        test,
        String.format(
            Locale.ROOT,
            "%d records in %s by category %s, %d without one; operation log %d records in %d"
                + " file(s), chain %s, kept %d days; a 30-day retention is %s",
            lines.size() - uncategorised,
            source,
            categories,
            uncategorised,
            oplog.records(),
            oplog.files(),
            oplog.intact() ? "intact" : "BROKEN",
            retention.toDays(),
            refusal == null ? "ACCEPTED" : "refused (" + refusal + ")"),
        passed,
        json(
            Map.of(
                "categories",
                categories,
                "uncategorised",
                uncategorised,
                "operation_records",
                oplog.records(),
                "operation_files",
                oplog.files(),
                "operation_log_intact",
                oplog.intact(),
                "retention_days",
                retention.toDays(),
                "short_retention_refused",
                refusal != null,
                "event_log_retention",
                "kept by the logging backend's rolling policy (a year in production)")));
  }

  private static boolean isCategory(String name) {
    for (Category category : Category.values()) {
      if (category.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("an event log line is not JSON: " + line, e);
    }
  }

  static String json(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
