package dev.stability.testkit.log4j2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Proves the Log4j2 JsonTemplateLayout template shipped in stability-core ({@code
 * classpath:dev/stability/log4j2/StabilityJsonLayout.json}) against the log record schema: a real
 * {@link StabilityRuntime} writes through SLF4J to Log4j2 (log4j-slf4j2-impl puts each key-value in
 * the context data), a File appender with the template writes the lines, and every line is checked
 * against the schema resource and against the canonical line the runtime rendered for the same
 * record. Ordinary statements (SLF4J and the Log4j API) are mapped as the Logback encoder maps
 * them.
 */
class Log4j2TemplateTest {

  private static final String TEMPLATE_RESOURCE = "dev/stability/log4j2/StabilityJsonLayout.json";
  private static final String SCHEMA_RESOURCE = "dev/stability/api/event/log-record-v1.schema.json";
  private static final List<String> NUMERIC_FIELDS = List.of("duration_us", "epoch", "journal_seq");
  private static final List<String> SCHEMA_ORDER =
      Arrays.stream(LogField.values()).map(LogField::key).toList();
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonSchema SCHEMA = loadSchema();
  private static final Map<String, String> IDENTITY_PROPERTIES =
      Map.of(
          "stability.system", "OMS",
          "stability.instance", "oms-a9",
          "stability.site", "SAME_CITY_DR",
          "stability.role", "STANDBY");

  @TempDir Path dir;

  @BeforeEach
  void setIdentityProperties() {
    IDENTITY_PROPERTIES.forEach(System::setProperty);
  }

  @AfterEach
  void clearIdentityProperties() {
    IDENTITY_PROPERTIES.keySet().forEach(System::clearProperty);
    MDC.clear();
  }

  @Test
  void templateListsTheSchemaFieldsInSchemaOrder() throws IOException {
    JsonNode template = JSON.readTree(resourceText(TEMPLATE_RESOURCE));
    List<String> keys = new ArrayList<>();
    template.fieldNames().forEachRemaining(keys::add);
    // The "*.fromContext" members are flattening resolvers: their own keys are never written.
    keys.removeIf(key -> key.endsWith(".fromContext"));
    assertThat(keys).containsExactlyElementsOf(SCHEMA_ORDER);
  }

  @Test
  void shippedTemplateWritesSchemaValidLinesEqualToTheRuntimesOwnLines() throws Exception {
    Run run = run("classpath:" + TEMPLATE_RESOURCE);

    assertThat(run.sdkLines()).isNotEmpty();
    for (Map.Entry<String, String> pair : run.sdkLines().entrySet()) {
      String line = pair.getKey();
      ObjectNode actual = parse(line);
      ObjectNode expected = parse(pair.getValue());
      assertThat(schemaErrors(line)).as(line).isEmpty();
      for (String key : NUMERIC_FIELDS) {
        if (expected.has(key)) {
          // log4j-slf4j2-impl stringifies key-values; the SDK's contextLong resolver restores them
          assertThat(actual.get(key).isIntegralNumber()).as("%s in %s", key, line).isTrue();
        }
      }
      assertSameRecord(line, actual, expected);
    }
    assertOrdinaryStatements(run);
  }

  @Test
  void contextValuesAreDataAndOnlyStabilityPropertiesSupplyIdentity() throws Exception {
    Path file = dir.resolve("lookups.log");
    // A Log4j lookup that finds nothing (${sys:x}, ${ctx:x}) falls back to the configuration
    // property x. The template reads context keys with %X, never ${ctx:...}, so a property named
    // like a field ("code", "site") never leaks in; "stability.instance" works like the system
    // property of that name. Values are data: nothing in a key-value, the MDC or the message is
    // evaluated.
    System.clearProperty("stability.instance");
    Configurator.reconfigure(
        configuration(
            file,
            "classpath:" + TEMPLATE_RESOURCE,
            Map.of("code", "FROM_CONFIG", "site", "REMOTE_DR", "stability.instance", "oms-c1")));
    LoggerContext context = LoggerContext.getContext(false);
    MDC.put("trace_id", "${sys:user.name}");
    LoggerFactory.getLogger("com.example.Lookups")
        .atInfo()
        .addKeyValue("system", "${sys:user.name}")
        .addKeyValue("role", "${java:version}")
        .addKeyValue("note", "${env:PATH}")
        .log("${sys:user.home} %d{HH} %X{trace_id}");
    MDC.clear();
    LoggerFactory.getLogger("com.example.Lookups").info("no key-values");
    assertThat(context.stop(5, TimeUnit.SECONDS)).isTrue();

    List<String> lines = Files.readAllLines(file, UTF_8);
    assertThat(lines).hasSize(2);
    ObjectNode data = parse(lines.get(0));
    assertThat(data.get("system").asText()).isEqualTo("${sys:user.name}");
    assertThat(data.get("role").asText()).isEqualTo("${java:version}");
    assertThat(data.get("seq").asText()).isEqualTo("${sys:user.name}");
    assertThat(data.get("msg").asText()).isEqualTo("${sys:user.home} %d{HH} %X{trace_id}");
    assertThat(data.get("attrs").get("note").asText()).isEqualTo("${env:PATH}");
    assertThat(data.get("attrs").get("trace_id").asText()).isEqualTo("${sys:user.name}");

    ObjectNode plain = parse(lines.get(1));
    assertThat(schemaErrors(lines.get(1))).isEmpty();
    assertThat(plain.get("code").asText()).isEqualTo("APP_LOG");
    assertThat(plain.get("site").asText()).isEqualTo("SAME_CITY_DR");
    assertThat(plain.get("instance").asText()).isEqualTo("oms-c1");
    assertThat(plain.get("system").asText()).isEqualTo("OMS");
  }

  // ---------------------------------------------------------------------------------------------

  /** The lines of one scenario and, for each SDK line, the runtime's canonical line. */
  private record Run(
      List<String> lines, Map<String, String> sdkLines, Instant before, Instant after) {}

  private Run run(String templateUri) throws Exception {
    Path file = dir.resolve("stability-" + System.nanoTime() + ".log");
    // reconfigure, not initialize: the schema validator already touched SLF4J, so the default
    // context is started; this replaces its configuration (SLF4J loggers follow).
    Configurator.reconfigure(configuration(file, templateUri));
    LoggerContext context = LoggerContext.getContext(false);
    assertThat(context.getConfiguration().getName()).isEqualTo("Log4j2TemplateTest");
    Instant before = Instant.now();
    List<String> canonical = new CopyOnWriteArrayList<>();
    ServiceIdentity identity = TestIdentities.oms("oms-a1");
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .eventSink((record, jsonLine) -> canonical.add(jsonLine))
            .build()) {
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                  .guard("risk-check")
                  .durationMicros(1_500)
                  .outcome(Outcome.REJECTED)
                  .epoch(7)
                  .journalSeq(4_711)
                  .member("88001234")
                  .operator("ops-li")
                  .attr("failure_rate", "62.5")
                  .attr("window", 100)
                  .message("circuit opened for risk-check"));
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
                  .interfaceId("risk.check")
                  .peer("RISK")
                  .durationMicros(120)
                  .outcome(Outcome.SUCCESS)
                  .message("risk.check answered"));
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_BUSINESS)
                  .order("O-1")
                  .message(
                      "订单已接受 \"limit\" 'q'\r\nsecond line\ttab \\ back </script>"
                          + " C:\\dir\\\\x \\{} end {} ${sys:user.home}"));
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.STANDBY_APPLY_FAILED)
                  .error(new IllegalStateException("bad record 42"))
                  .journalSeq(99)
                  .message("standby stopped"));
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    }

    // Ordinary statements, after the runtime is closed so that the file order is fixed.
    MDC.put("trace_id", "t-42");
    LoggerFactory.getLogger("com.example.OrderService")
        .atError()
        .setCause(new IllegalStateException("limit exceeded: 余额不足"))
        .addKeyValue("order", "O-9")
        .addKeyValue("client", "c1")
        .log("rejected order O-9 \"over limit\"");
    MDC.clear();
    LogManager.getLogger("com.example.Disk").fatal("disk gone", new NullPointerException());
    LoggerFactory.getLogger("com.example.Plain").info("plain statement");
    Instant after = Instant.now();

    assertThat(context.stop(5, TimeUnit.SECONDS)).isTrue();

    List<String> lines = Files.readAllLines(file, UTF_8);
    Map<String, String> sdkLines = new LinkedHashMap<>();
    Iterator<String> expected = canonical.iterator();
    for (String line : lines) {
      if (parse(line).path("logger").asText().startsWith("stability.")) {
        assertThat(expected.hasNext()).as("more SDK lines than published: %s", line).isTrue();
        sdkLines.put(line, expected.next());
      }
    }
    assertThat(expected.hasNext()).as("every published record reached the file").isFalse();
    // RUNTIME_STARTED, the four records, RUNTIME_STOPPED.
    assertThat(sdkLines).hasSize(6);
    return new Run(lines, sdkLines, before, after);
  }

  private static BuiltConfiguration configuration(Path file, String templateUri) {
    return configuration(file, templateUri, Map.of());
  }

  private static BuiltConfiguration configuration(
      Path file, String templateUri, Map<String, String> properties) {
    ConfigurationBuilder<BuiltConfiguration> builder =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    builder.setConfigurationName("Log4j2TemplateTest").setStatusLevel(Level.WARN);
    properties.forEach(builder::addProperty);
    builder.add(
        builder
            .newAppender("file", "File")
            .addAttribute("fileName", file.toString())
            .addAttribute("append", false)
            .add(
                builder
                    .newLayout("JsonTemplateLayout")
                    .addAttribute("eventTemplateUri", templateUri)));
    builder.add(builder.newRootLogger(Level.TRACE).add(builder.newAppenderRef("file")));
    return builder.build();
  }

  /** SDK lines carry exactly the runtime's fields, plus the Log4j logger name. */
  private static void assertSameRecord(String line, ObjectNode actual, ObjectNode expected) {
    assertFieldOrder(line, actual);
    String category = expected.get("category").asText();
    assertThat(actual.get("logger").asText())
        .as("logger of %s", line)
        .isEqualTo("stability." + category.toLowerCase(Locale.ROOT));
    ObjectNode comparable = actual.deepCopy();
    if (!expected.has("logger")) {
      comparable.remove("logger");
    }
    if (comparable.has("attrs") && comparable.get("attrs").isEmpty() && !expected.has("attrs")) {
      comparable.remove("attrs"); // written as {} when the record has no attributes
    }
    assertThat(comparable).as(line).isEqualTo(expected);
  }

  private void assertOrdinaryStatements(Run run) throws IOException {
    List<ObjectNode> ordinary = new ArrayList<>();
    for (String line : run.lines()) {
      ObjectNode node = parse(line);
      if (!node.path("logger").asText().startsWith("stability.")) {
        assertThat(schemaErrors(line)).as(line).isEmpty();
        assertFieldOrder(line, node);
        // Libraries log too (Micrometer says hello at DEBUG once per JVM); checked, not counted.
        if (node.path("logger").asText().startsWith("com.example.")) {
          ordinary.add(node);
        }
      }
    }
    assertThat(ordinary).hasSize(3);
    String thread = Thread.currentThread().getName();

    ObjectNode rejected = ordinary.get(0);
    assertTimestampWithin(rejected, run);
    assertThat(rejected.path("attrs").path("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: limit exceeded: 余额不足")
        // On the module path a frame names its module: "at dev.stability.testkit@<version>/...".
        .containsPattern(
            "at (dev\\.stability\\.testkit@[^/]+/)?dev\\.stability\\.testkit\\.log4j2"
                + "\\.Log4j2TemplateTest\\.run");
    ObjectNode comparable = rejected.deepCopy();
    comparable.remove("ts");
    ((ObjectNode) comparable.get("attrs")).remove("stack_trace");
    assertThat(comparable)
        .isEqualTo(
            JSON.readTree(
                """
                {"level": "ERROR", "category": "SYSTEM", "system": "OMS", "instance": "oms-a9",
                 "site": "SAME_CITY_DR", "role": "STANDBY", "code": "APP_LOG", "seq": "t-42",
                 "msg": "rejected order O-9 \\"over limit\\"", "thread": "%s",
                 "logger": "com.example.OrderService", "order": "O-9",
                 "error.type": "java.lang.IllegalStateException",
                 "error.message": "limit exceeded: 余额不足",
                 "attrs": {"client": "c1", "trace_id": "t-42"}}
                """
                    .formatted(thread)));

    ObjectNode fatal = ordinary.get(1);
    assertTimestampWithin(fatal, run);
    assertThat(fatal.get("level").asText()).isEqualTo("ERROR");
    assertThat(fatal.get("seq").asText()).matches("log-[0-9a-f-]{36}");
    assertThat(fatal.get("logger").asText()).isEqualTo("com.example.Disk");
    assertThat(fatal.get("error.type").asText()).isEqualTo("java.lang.NullPointerException");
    assertThat(fatal.get("error.message").asText()).isEmpty(); // a null message
    assertThat(fatal.get("attrs").get("stack_trace").asText())
        .startsWith("java.lang.NullPointerException");

    ObjectNode plain = ordinary.get(2);
    assertTimestampWithin(plain, run);
    assertThat(plain.get("level").asText()).isEqualTo("INFO");
    assertThat(plain.get("msg").asText()).isEqualTo("plain statement");
    assertThat(plain.has("attrs")).isFalse();
    assertThat(plain.has("error.type")).isFalse();
    assertThat(plain.has("error.message")).isFalse();
    assertThat(plain.get("seq").asText()).isNotEqualTo(fatal.get("seq").asText());
  }

  private static void assertFieldOrder(String line, JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    List<String> inSchemaOrder = new ArrayList<>(keys);
    inSchemaOrder.sort(Comparator.comparingInt(SCHEMA_ORDER::indexOf));
    assertThat(keys).as("field order of %s", line).isEqualTo(inSchemaOrder);
  }

  private static void assertTimestampWithin(ObjectNode node, Run run) {
    String ts = node.get("ts").asText();
    assertThat(ts).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{2}:\\d{2}");
    assertThat(OffsetDateTime.parse(ts).toInstant())
        .isBetween(run.before().minusMillis(1), run.after());
  }

  private static Set<String> schemaErrors(String line) throws IOException {
    Set<ValidationMessage> messages = SCHEMA.validate(JSON.readTree(line));
    return messages.stream()
        .map(m -> m.getInstanceLocation() + ":" + m.getType())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static ObjectNode parse(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    assertThat(node.isObject()).as(line).isTrue();
    return (ObjectNode) node;
  }

  private static JsonSchema loadSchema() {
    // Through the class loader: the schema is a resource of another module (stability-api).
    try (InputStream in =
        Log4j2TemplateTest.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resourceText(String resource) throws IOException {
    try (InputStream in = Log4j2TemplateTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
