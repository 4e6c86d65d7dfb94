package dev.stability.testkit.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link SwitchDrill} verified (R8, R18): the evidence a firm keeps for two years.
 * Immutable.
 *
 * @param kind {@code planned} or {@code failover}
 * @param at when the drill ran
 * @param takeover from the switch command to the new primary accepting input (RTO)
 * @param switchSequence the sequence the new primary took over from
 * @param acknowledged records acknowledged to clients before the switch
 * @param lostAcknowledged acknowledged records the new primary does not hold (must be 0)
 * @param unacknowledgedFrom first record that was never durable (failover; 0 if none)
 * @param unacknowledgedTo last such record (0 if none)
 * @param digestsEqual whether both implementations' digests were equal at the switch sequence
 * @param clients simulated clients
 * @param clientsReconnected clients connected to the new primary after the switch
 * @param problems what failed, empty when the drill passed
 */
public record DrillReport(
    String kind,
    Instant at,
    Duration takeover,
    long switchSequence,
    long acknowledged,
    long lostAcknowledged,
    long unacknowledgedFrom,
    long unacknowledgedTo,
    boolean digestsEqual,
    int clients,
    int clientsReconnected,
    List<String> problems) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies. */
  public DrillReport {
    problems = List.copyOf(problems);
  }

  /** Whether every check passed. */
  public boolean passed() {
    return problems.isEmpty();
  }

  /**
   * Asserts the drill passed.
   *
   * @throws AssertionError listing every problem
   */
  public DrillReport assertPassed() {
    if (!passed()) {
      throw new AssertionError(kind + " drill failed: " + String.join("; ", problems));
    }
    return this;
  }

  /** The report as JSON. */
  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind);
    body.put("at", at.toString());
    body.put("takeover_ms", takeover.toNanos() / 1e6);
    body.put("switch_sequence", switchSequence);
    body.put("acknowledged", acknowledged);
    body.put("lost_acknowledged", lostAcknowledged);
    body.put("unacknowledged_from", unacknowledgedFrom);
    body.put("unacknowledged_to", unacknowledgedTo);
    body.put("digests_equal", digestsEqual);
    body.put("clients", clients);
    body.put("clients_reconnected", clientsReconnected);
    body.put("passed", passed());
    body.put("problems", problems);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the drill report", e);
    }
  }
}
