package dev.stability.core.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads guard definitions from a configuration document: YAML, JSON or Java properties, all with
 * the same keys. The document holds one top-level section, {@code guards}, with one entry per
 * guard:
 *
 * <pre>
 * guards:
 *   exchange-link:
 *     idempotent: false
 *     site-local: false               # true: a warm standby does not inherit this guard's state
 *     latency-percentiles: false      # true: the last minute's latency quantiles as gauges
 *     deadline: 50ms                  # synchronous calls
 *     time-limit: 200ms               # asynchronous calls
 *     circuit-breaker:
 *       sliding-window-type: COUNT_BASED       # or TIME_BASED
 *       sliding-window-size: 100
 *       minimum-number-of-calls: 20
 *       failure-rate-threshold: 50
 *       slow-call-rate-threshold: 80
 *       slow-call-duration-threshold: 20ms
 *       wait-duration-in-open-state: 5s
 *       permitted-number-of-calls-in-half-open-state: 5
 *     bulkhead:
 *       max-concurrent-calls: 64
 *     thread-pool-bulkhead:           # for Guard.submit: blocking work on the guard's own pool
 *       max-thread-pool-size: 8
 *       core-thread-pool-size: 8
 *       queue-capacity: 100
 *     rate-limiter:
 *       limit-for-period: 5000
 *       limit-refresh-period: 1s
 *     retry:                          # only with idempotent: true
 *       max-attempts: 3
 *       wait-duration: 100ms
 *       exponential-backoff-multiplier: 2.0
 *       randomization-factor: 0.5
 *       max-wait-duration: 2s
 *     load-shedding:
 *       initial-limit: 20
 *       min-limit: 1
 *       max-limit: 1000
 *       latency-tolerance: 2.0
 *       backoff-ratio: 0.9
 *       window: 100ms
 *     ignore-exceptions: [com.example.RiskRejectedException]   # answers, not failures
 * </pre>
 *
 * <p>Durations are written {@code 500ms}, {@code 2s}, {@code 1m}, {@code 250us} or ISO-8601 ({@code
 * PT0.5S}). A section present with no keys takes its defaults. Unknown keys, wrong types and
 * invalid values fail with a {@link ConfigurationException} that names the full key (e.g. {@code
 * guards.exchange-link.circuit-breaker.failure-rate-threshold}), the value and the rule.
 *
 * <p>JSON needs nothing beyond {@code stability-core}. YAML needs {@code
 * com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} and properties {@code
 * com.fasterxml.jackson.dataformat:jackson-dataformat-properties} on the class path: both are
 * optional dependencies of {@code stability-core}, so an application that reads such documents
 * declares them (the testkit and the Spring Boot auto-configuration bring them; on the module path
 * they are resolved as providers of Jackson's services). Without them, reading a document in that
 * format fails with a {@link ConfigurationException} naming the artifact to add.
 */
public final class GuardDocuments {

  /** Document formats. */
  public enum Format {
    /** YAML. */
    YAML,
    /** JSON. */
    JSON,
    /**
     * Java properties, dotted keys ({@code guards.exchange-link.bulkhead.max-concurrent-calls}).
     */
    PROPERTIES
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h)");

  private GuardDocuments() {}

  /**
   * Reads a file; the format follows the extension ({@code .yaml}/{@code .yml}, {@code .json},
   * {@code .properties}).
   *
   * @throws ConfigurationException for an unreadable file, an unknown extension or any invalid key
   */
  public static List<GuardSettings> read(Path file) {
    String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Format format;
    if (fileName.endsWith(".yaml") || fileName.endsWith(".yml")) {
      format = Format.YAML;
    } else if (fileName.endsWith(".json")) {
      format = Format.JSON;
    } else if (fileName.endsWith(".properties")) {
      format = Format.PROPERTIES;
    } else {
      throw new ConfigurationException(
          "guards", file, "the file must end in .yaml, .yml, .json or .properties");
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), format);
    } catch (IOException e) {
      throw new ConfigurationException("guards", file, "the file cannot be read: " + e);
    }
  }

  /**
   * Parses a document.
   *
   * @throws ConfigurationException naming the key, value and rule of the first problem
   */
  public static List<GuardSettings> parse(String text, Format format) {
    ObjectMapper mapper =
        switch (format) {
          case YAML -> optionalMapper(format, YAML_MAPPER, "jackson-dataformat-yaml");
          case JSON -> new ObjectMapper();
          case PROPERTIES ->
              optionalMapper(format, PROPERTIES_MAPPER, "jackson-dataformat-properties");
        };
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(
          "guards", format, "the document is not valid " + format + ": " + e.getOriginalMessage());
    }
    List<GuardSettings> specs = new ArrayList<>();
    if (root == null || root.isMissingNode() || root.isEmpty()) {
      return specs;
    }
    requireObject("(document)", root);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("guards")) {
        throw new ConfigurationException(key, root.get(key), "unknown key: only 'guards' is read");
      }
    }
    JsonNode guards = root.get("guards");
    requireObject("guards", guards);
    for (Map.Entry<String, JsonNode> entry : guards.properties()) {
      specs.add(guard(entry.getKey(), entry.getValue()));
    }
    return specs;
  }

  private static final String YAML_MAPPER = "com.fasterxml.jackson.dataformat.yaml.YAMLMapper";
  private static final String PROPERTIES_MAPPER =
      "com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper";

  /**
   * The mapper of an optional format, found by name: this class refers to no type of an optional
   * module, so it loads, and JSON documents are read, when the module is absent.
   */
  private static ObjectMapper optionalMapper(Format format, String className, String artifact) {
    Class<?> type;
    try {
      type = Class.forName(className, true, GuardDocuments.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException(
          "guards",
          format,
          "reading "
              + format
              + " guard documents needs com.fasterxml.jackson.dataformat:"
              + artifact
              + " (an optional dependency of stability-core): add it to the application's"
              + " dependencies, or write the document in JSON");
    }
    try {
      return (ObjectMapper) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }

  private static GuardSettings guard(String name, JsonNode node) {
    String prefix = "guards." + name + ".";
    requireObject("guards." + name, node);
    GuardSettings.Builder builder = GuardSettings.builder(name);
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "idempotent" -> builder.idempotent(bool(key, value));
        case "site-local" -> builder.siteLocal(bool(key, value));
        case "latency-percentiles" -> builder.latencyPercentiles(bool(key, value));
        case "deadline" -> builder.deadline(duration(key, value));
        case "time-limit" -> builder.timeLimit(duration(key, value));
        case "circuit-breaker" -> builder.circuitBreaker(circuitBreaker(key + ".", value));
        case "bulkhead" -> builder.bulkhead(bulkhead(key + ".", value));
        case "thread-pool-bulkhead" ->
            builder.threadPoolBulkhead(threadPoolBulkhead(key + ".", value));
        case "rate-limiter" -> builder.rateLimiter(rateLimiter(key + ".", value));
        case "retry" -> builder.retry(retry(key + ".", value));
        case "load-shedding" -> builder.loadShedding(loadShedding(key + ".", value));
        case "ignore-exceptions" -> ignoreExceptions(builder, key, value);
        default -> throw unknown(key, value, GUARD_KEYS);
      }
    }
    return builder.build();
  }

  private static final List<String> GUARD_KEYS =
      List.of(
          "idempotent",
          "site-local",
          "latency-percentiles",
          "deadline",
          "time-limit",
          "circuit-breaker",
          "bulkhead",
          "thread-pool-bulkhead",
          "rate-limiter",
          "retry",
          "load-shedding",
          "ignore-exceptions");

  private static CircuitBreakerSettings circuitBreaker(String prefix, JsonNode node) {
    CircuitBreakerSettings.Builder b = CircuitBreakerSettings.builder();
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      JsonNode v = field.getValue();
      switch (field.getKey()) {
        case "sliding-window-type" -> b.slidingWindowType(windowType(key, v));
        case "sliding-window-size" -> b.slidingWindowSize(integer(key, v));
        case "minimum-number-of-calls" -> b.minimumNumberOfCalls(integer(key, v));
        case "failure-rate-threshold" -> b.failureRateThreshold((float) number(key, v));
        case "slow-call-rate-threshold" -> b.slowCallRateThreshold((float) number(key, v));
        case "slow-call-duration-threshold" -> b.slowCallDurationThreshold(duration(key, v));
        case "wait-duration-in-open-state" -> b.waitDurationInOpenState(duration(key, v));
        case "permitted-number-of-calls-in-half-open-state" ->
            b.permittedNumberOfCallsInHalfOpenState(integer(key, v));
        default ->
            throw unknown(
                key,
                v,
                List.of(
                    "sliding-window-type",
                    "sliding-window-size",
                    "minimum-number-of-calls",
                    "failure-rate-threshold",
                    "slow-call-rate-threshold",
                    "slow-call-duration-threshold",
                    "wait-duration-in-open-state",
                    "permitted-number-of-calls-in-half-open-state"));
      }
    }
    try {
      return b.build();
    } catch (ConfigurationException e) {
      throw inDocument(prefix, CircuitBreakerSettings.KEY_PREFIX, e);
    }
  }

  /**
   * A policy's settings name a bad value's key relative to themselves ({@code
   * bulkhead.max-concurrent-calls}), since they do not know their guard; the document's reader
   * names it in full, as it stands in the document.
   */
  private static ConfigurationException inDocument(
      String prefix, String keyPrefix, ConfigurationException e) {
    return e.key().startsWith(keyPrefix)
        ? e.forKey(prefix + e.key().substring(keyPrefix.length()))
        : e;
  }

  private static BulkheadSettings bulkhead(String prefix, JsonNode node) {
    int max = 25;
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      if (field.getKey().equals("max-concurrent-calls")) {
        max = integer(key, field.getValue());
      } else {
        throw unknown(key, field.getValue(), List.of("max-concurrent-calls"));
      }
    }
    try {
      return BulkheadSettings.of(max);
    } catch (ConfigurationException e) {
      throw inDocument(prefix, BulkheadSettings.KEY_PREFIX, e);
    }
  }

  private static ThreadPoolBulkheadSettings threadPoolBulkhead(String prefix, JsonNode node) {
    int max = Runtime.getRuntime().availableProcessors();
    Integer core = null;
    int queue = 100;
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      switch (field.getKey()) {
        case "max-thread-pool-size" -> max = integer(key, field.getValue());
        case "core-thread-pool-size" -> core = integer(key, field.getValue());
        case "queue-capacity" -> queue = integer(key, field.getValue());
        default ->
            throw unknown(
                key,
                field.getValue(),
                List.of("max-thread-pool-size", "core-thread-pool-size", "queue-capacity"));
      }
    }
    try {
      return new ThreadPoolBulkheadSettings(max, core == null ? max : core, queue);
    } catch (ConfigurationException e) {
      throw inDocument(prefix, ThreadPoolBulkheadSettings.KEY_PREFIX, e);
    }
  }

  private static RateLimiterSettings rateLimiter(String prefix, JsonNode node) {
    int limit = 50;
    Duration period = Duration.ofMillis(500);
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      switch (field.getKey()) {
        case "limit-for-period" -> limit = integer(key, field.getValue());
        case "limit-refresh-period" -> period = duration(key, field.getValue());
        default ->
            throw unknown(
                key, field.getValue(), List.of("limit-for-period", "limit-refresh-period"));
      }
    }
    try {
      return RateLimiterSettings.of(limit, period);
    } catch (ConfigurationException e) {
      throw inDocument(prefix, RateLimiterSettings.KEY_PREFIX, e);
    }
  }

  private static RetrySettings retry(String prefix, JsonNode node) {
    RetrySettings d = RetrySettings.defaults();
    int attempts = d.maxAttempts();
    Duration wait = d.waitDuration();
    double multiplier = d.exponentialBackoffMultiplier();
    double jitter = d.randomizationFactor();
    Duration max = d.maxWaitDuration();
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      JsonNode v = field.getValue();
      switch (field.getKey()) {
        case "max-attempts" -> attempts = integer(key, v);
        case "wait-duration" -> wait = duration(key, v);
        case "exponential-backoff-multiplier" -> multiplier = number(key, v);
        case "randomization-factor" -> jitter = number(key, v);
        case "max-wait-duration" -> max = duration(key, v);
        default ->
            throw unknown(
                key,
                v,
                List.of(
                    "max-attempts",
                    "wait-duration",
                    "exponential-backoff-multiplier",
                    "randomization-factor",
                    "max-wait-duration"));
      }
    }
    try {
      return new RetrySettings(attempts, wait, multiplier, jitter, max);
    } catch (ConfigurationException e) {
      throw inDocument(prefix, RetrySettings.KEY_PREFIX, e);
    }
  }

  private static LoadSheddingSettings loadShedding(String prefix, JsonNode node) {
    LoadSheddingSettings d = LoadSheddingSettings.defaults();
    int initial = d.initialLimit();
    int min = d.minLimit();
    int max = d.maxLimit();
    double tolerance = d.latencyTolerance();
    double backoff = d.backoffRatio();
    Duration window = d.window();
    for (Map.Entry<String, JsonNode> field : fields(prefix, node)) {
      String key = prefix + field.getKey();
      JsonNode v = field.getValue();
      switch (field.getKey()) {
        case "initial-limit" -> initial = integer(key, v);
        case "min-limit" -> min = integer(key, v);
        case "max-limit" -> max = integer(key, v);
        case "latency-tolerance" -> tolerance = number(key, v);
        case "backoff-ratio" -> backoff = number(key, v);
        case "window" -> window = duration(key, v);
        default ->
            throw unknown(
                key,
                v,
                List.of(
                    "initial-limit",
                    "min-limit",
                    "max-limit",
                    "latency-tolerance",
                    "backoff-ratio",
                    "window"));
      }
    }
    try {
      return new LoadSheddingSettings(initial, min, max, tolerance, backoff, window);
    } catch (ConfigurationException e) {
      throw inDocument(prefix, LoadSheddingSettings.KEY_PREFIX, e);
    }
  }

  @SuppressWarnings("unchecked") // checked with isAssignableFrom just before the cast
  private static void ignoreExceptions(GuardSettings.Builder builder, String key, JsonNode value) {
    List<String> names = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(item -> names.add(text(item).trim()));
    } else if (value.isObject()) {
      value.forEach(item -> names.add(text(item).trim())); // properties: ignore-exceptions.1=...
    } else {
      for (String name : text(value).split(",")) {
        names.add(name.trim());
      }
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (String name : names) {
      Class<?> type;
      try {
        type =
            Class.forName(
                name, false, loader != null ? loader : GuardDocuments.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ConfigurationException(
            key, name, "must name an exception class on the class path");
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new ConfigurationException(key, name, "must name a subclass of java.lang.Throwable");
      }
      builder.ignoreExceptions((Class<? extends Throwable>) type);
    }
  }

  // ---------------------------------------------------------------- value readers

  private static List<Map.Entry<String, JsonNode>> fields(String prefix, JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return out; // "bulkhead:" with nothing under it: all defaults
    }
    requireObject(prefix.substring(0, prefix.length() - 1), node);
    out.addAll(node.properties());
    return out;
  }

  private static void requireObject(String key, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ConfigurationException(key, node, "must be a section (a map of keys)");
    }
  }

  private static ConfigurationException unknown(String key, JsonNode value, List<String> known) {
    return new ConfigurationException(key, text(value), "unknown key; known keys here: " + known);
  }

  private static boolean bool(String key, JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    String text = text(node);
    if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigurationException(key, text, "must be true or false");
  }

  private static int integer(String key, JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    try {
      return Integer.parseInt(text(node).trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, text(node), "must be a whole number");
    }
  }

  private static double number(String key, JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    try {
      return Double.parseDouble(text(node).trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, text(node), "must be a number");
    }
  }

  private static CircuitBreakerSettings.WindowType windowType(String key, JsonNode node) {
    String text = text(node).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return CircuitBreakerSettings.WindowType.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(key, text(node), "must be COUNT_BASED or TIME_BASED");
    }
  }

  /** Parses {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 250us} or ISO-8601. */
  static Duration duration(String key, JsonNode node) {
    String text = text(node).trim();
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double nanosPerUnit =
          switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
          };
      return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(
          key, text, "must be a duration such as 500ms, 2s, 1m, 250us or PT0.5S");
    }
  }

  private static String text(JsonNode node) {
    return node == null ? "null" : node.isValueNode() ? node.asText() : node.toString();
  }
}
