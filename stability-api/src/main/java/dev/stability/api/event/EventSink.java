package dev.stability.api.event;

/**
 * Receives every record a runtime outputs, after stamping and masking, together with its canonical
 * JSON line. Called from the runtime's single event thread, never from the caller of {@code
 * publish}, so a sink may do I/O; a sink that throws is reported with {@code EVENT_SINK_FAILED} and
 * does not affect other sinks.
 */
@FunctionalInterface
public interface EventSink {

  /**
   * Accepts one record.
   *
   * @param record the complete, masked record
   * @param jsonLine the canonical JSON line for the record, without a line terminator
   */
  void accept(LogRecord record, String jsonLine);
}
