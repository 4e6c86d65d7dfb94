package dev.stability.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.stability.api.Role;
import dev.stability.api.Site;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.internal.Slf4jKeyValues;
import dev.stability.core.event.logback.StabilityJsonEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.event.KeyValuePair;

/**
 * Cost of turning one log event into one JSON line: the Stability encoder and formatter against
 * logstash-logback-encoder's {@link LogstashEncoder}, in the same run, for equivalent events.
 *
 * <ul>
 *   <li>{@code stabilityEncoder}: {@link StabilityJsonEncoder#encode} for an SDK record exactly as
 *       the runtime hands it to SLF4J (pattern {@code "{}"} with the message as its argument; every
 *       other present field as a typed key-value, through the runtime's own {@code
 *       Slf4jKeyValues}).
 *   <li>{@code stabilityEncoderPlainStatement}: the same encoder for an ordinary application
 *       statement (message, logger, thread, one MDC entry, no key-values).
 *   <li>{@code stabilityFormatter}: {@link LogRecordFormat#toLineBytes} for the equivalent complete
 *       {@link LogRecord} (the runtime's own formatting step, no Logback involved).
 *   <li>{@code logstashEncoder}: {@link LogstashEncoder#encode} for the same Logback event as
 *       {@code stabilityEncoder} (key-value pairs included, as they are by default in 8.x).
 *   <li>{@code logstashEncoderPlainStatement}: {@link LogstashEncoder#encode} for the same event as
 *       {@code stabilityEncoderPlainStatement}.
 * </ul>
 *
 * <p>Events are built once in {@link #setUp()} with a fixed timestamp, so only encoding is
 * measured. Each benchmark returns the encoded bytes (consumed by JMH). {@link #setUp()} also
 * checks that the encoders really produce the lines being compared, so a configuration mistake
 * fails the run instead of producing a meaningless figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EventEncodingBenchmark {

  /** The fixed event time, in the canonical form the runtime writes. */
  static final String TS = "2026-11-24T09:30:00.123456+08:00";

  static final String SDK_LOGGER = "stability.system";
  static final String SDK_THREAD = "stability-events-oms-sh-01";
  static final String MESSAGE = "circuit opened for exchange-link after 50% failures";

  static final String APP_LOGGER = "com.example.oms.order.OrderService";
  static final String APP_THREAD = "http-nio-8080-exec-7";
  static final String APP_MESSAGE = "order 7f3a-19 accepted for member m-0042, 3 legs";

  private LoggerContext context;
  private StabilityJsonEncoder stabilityEncoder;
  private LogstashEncoder logstashEncoder;

  private LogRecord record;
  private LoggingEvent sdkEvent;
  private LoggingEvent plainEvent;

  /** Builds the encoders and the events once per trial. */
  @Setup
  public void setUp() {
    context = new LoggerContext();
    context.setName("benchmark");
    context.start();

    stabilityEncoder = new StabilityJsonEncoder();
    stabilityEncoder.setContext(context);
    // Identity for ordinary statements, so the plain line is as complete as the SDK line.
    stabilityEncoder.setSystem("OMS");
    stabilityEncoder.setInstance("oms-sh-01");
    stabilityEncoder.setSite(Site.PRIMARY_DC.name());
    stabilityEncoder.setRole(Role.PRIMARY.name());
    stabilityEncoder.setZone("Asia/Shanghai");
    stabilityEncoder.start();

    logstashEncoder = new LogstashEncoder();
    logstashEncoder.setContext(context);
    logstashEncoder.setIncludeKeyValuePairs(true); // the 8.x default; stated for the reader
    logstashEncoder.start();

    OffsetDateTime ts = OffsetDateTime.parse(TS);

    // The complete record, as the runtime has it after stamping and masking.
    record =
        LogRecord.builder(StabilityEventCode.GUARD_CIRCUIT_OPENED)
            .message(MESSAGE)
            .set(LogField.TS, ts)
            .set(LogField.SYSTEM, "OMS")
            .set(LogField.INSTANCE, "oms-sh-01")
            .set(LogField.SITE, Site.PRIMARY_DC)
            .set(LogField.ROLE, Role.PRIMARY)
            .seq("oms-sh-01-mf3k2a1b-42")
            .set(LogField.THREAD, SDK_THREAD)
            .guard("exchange-link")
            .durationMicros(1_500L)
            .outcome(Outcome.FAILURE)
            .epoch(7L)
            .attr("failure_rate", "50.0")
            .build();

    // As Slf4jOutput logs it: pattern "{}" with the message as the only argument, then the
    // key-values. Logback caches the formatted message in the event, so (as for every appender
    // after the first) formatting it is not part of any measurement below.
    Logger sdkLogger = context.getLogger(SDK_LOGGER);
    sdkEvent =
        new LoggingEvent(
            Logger.class.getName(),
            sdkLogger,
            ch.qos.logback.classic.Level.WARN,
            "{}",
            null,
            new Object[] {record.message()});
    sdkEvent.setInstant(ts.toInstant());
    sdkEvent.setThreadName(SDK_THREAD);
    sdkEvent.setMDCPropertyMap(Map.of()); // the event thread carries no MDC
    sdkEvent.setKeyValuePairs(slf4jKeyValues(record));

    Logger appLogger = context.getLogger(APP_LOGGER);
    plainEvent =
        new LoggingEvent(
            Logger.class.getName(),
            appLogger,
            ch.qos.logback.classic.Level.INFO,
            APP_MESSAGE,
            null,
            null);
    plainEvent.setInstant(ts.toInstant());
    plainEvent.setThreadName(APP_THREAD);
    plainEvent.setMDCPropertyMap(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));

    check();
  }

  /** Stops the encoders and the context. */
  @TearDown
  public void tearDown() {
    stabilityEncoder.stop();
    logstashEncoder.stop();
    context.stop();
  }

  /** The key-values the runtime adds for a record: the very code its SLF4J output uses. */
  static List<KeyValuePair> slf4jKeyValues(LogRecord record) {
    List<KeyValuePair> pairs = new ArrayList<>();
    Slf4jKeyValues.forEach(record, (key, value) -> pairs.add(new KeyValuePair(key, value)));
    return pairs;
  }

  private void check() {
    byte[] expected = LogRecordFormat.toLineBytes(record);
    byte[] encoded = stabilityEncoder.encode(sdkEvent);
    if (!Arrays.equals(expected, encoded)) {
      throw new IllegalStateException(
          "StabilityJsonEncoder did not reproduce the SDK line:\n  expected "
              + ascii(expected)
              + "  got      "
              + ascii(encoded));
    }
    String plain = ascii(stabilityEncoder.encode(plainEvent));
    requireContains(plain, "\"code\":\"APP_LOG\"", "stabilityEncoderPlainStatement");
    requireContains(plain, "\"trace_id\"", "stabilityEncoderPlainStatement");
    String logstash = ascii(logstashEncoder.encode(sdkEvent));
    for (String expectedField :
        List.of(
            "\"message\":\"" + MESSAGE + "\"",
            "\"code\":\"GUARD_CIRCUIT_OPENED\"",
            "\"ts\":\"" + TS + "\"",
            "\"duration_us\":1500",
            "\"epoch\":7",
            "\"attrs.failure_rate\":\"50.0\"")) {
      requireContains(logstash, expectedField, "logstashEncoder");
    }
    requireContains(
        ascii(logstashEncoder.encode(plainEvent)), "\"trace_id\"", "logstashEncoderPlain");
  }

  private static void requireContains(String line, String part, String benchmark) {
    if (!line.contains(part)) {
      throw new IllegalStateException(benchmark + " line lacks " + part + ": " + line);
    }
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** SDK record through the Stability Logback encoder. */
  @Benchmark
  public byte[] stabilityEncoder() {
    return stabilityEncoder.encode(sdkEvent);
  }

  /** Ordinary application statement through the Stability Logback encoder. */
  @Benchmark
  public byte[] stabilityEncoderPlainStatement() {
    return stabilityEncoder.encode(plainEvent);
  }

  /** The complete record through the Stability formatter, no Logback. */
  @Benchmark
  public byte[] stabilityFormatter() {
    return LogRecordFormat.toLineBytes(record);
  }

  /** SDK record (same Logback event as {@code stabilityEncoder}) through LogstashEncoder. */
  @Benchmark
  public byte[] logstashEncoder() {
    return logstashEncoder.encode(sdkEvent);
  }

  /** Ordinary statement (same event as the Stability plain benchmark) through LogstashEncoder. */
  @Benchmark
  public byte[] logstashEncoderPlainStatement() {
    return logstashEncoder.encode(plainEvent);
  }

  /** Prints the lines each benchmark produces, for BENCHMARKS.md and for eyeballing. */
  public static void main(String[] args) {
    EventEncodingBenchmark benchmark = new EventEncodingBenchmark();
    benchmark.setUp();
    try {
      System.out.print("stabilityEncoder               " + ascii(benchmark.stabilityEncoder()));
      System.out.print(
          "stabilityEncoderPlainStatement " + ascii(benchmark.stabilityEncoderPlainStatement()));
      System.out.print("stabilityFormatter             " + ascii(benchmark.stabilityFormatter()));
      System.out.print("logstashEncoder                " + ascii(benchmark.logstashEncoder()));
      System.out.print(
          "logstashEncoderPlainStatement  " + ascii(benchmark.logstashEncoderPlainStatement()));
    } finally {
      benchmark.tearDown();
    }
  }
}
