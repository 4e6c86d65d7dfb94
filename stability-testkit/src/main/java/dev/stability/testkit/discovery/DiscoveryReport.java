package dev.stability.testkit.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fault monitoring discovery rate (R13): of the faults injected, the share the application's
 * own monitoring detected within the bound, and per fault how fast and by what. Immutable.
 *
 * @param within the detection bound
 * @param results one per scenario, in the order run
 */
public record DiscoveryReport(Duration within, List<Result> results) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One scenario.
   *
   * @param scenario its name
   * @param detected whether monitoring noticed it within the bound
   * @param after how long it took (null if not detected)
   * @param signal what noticed it, or that nothing did
   */
  public record Result(
      String scenario, boolean detected, @Nullable Duration after, String signal) {}

  /** Copies. */
  public DiscoveryReport {
    results = List.copyOf(results);
  }

  /** Detected / injected. */
  public double rate() {
    return results.isEmpty()
        ? 0
        : (double) results.stream().filter(Result::detected).count() / results.size();
  }

  /**
   * Asserts a minimum discovery rate.
   *
   * @throws AssertionError naming every fault that went unnoticed
   */
  public DiscoveryReport assertRate(double minimum) {
    if (rate() < minimum) {
      List<String> missed =
          results.stream().filter(r -> !r.detected()).map(Result::scenario).toList();
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "fault discovery rate %.2f is below %.2f: not detected within %d ms: %s",
              rate(),
              minimum,
              within.toMillis(),
              missed));
    }
    return this;
  }

  /** The report as JSON. */
  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("within_ms", within.toMillis());
    body.put("injected", results.size());
    body.put("detected", results.stream().filter(Result::detected).count());
    body.put("discovery_rate", rate());
    List<Map<String, Object>> list = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", r.scenario());
      m.put("detected", r.detected());
      m.put("after_ms", r.after() == null ? null : r.after().toNanos() / 1e6);
      m.put("signal", r.signal());
      list.add(m);
    }
    body.put("scenarios", list);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the discovery report", e);
    }
  }
}
