package dev.stability.core.event;

import dev.stability.api.event.EventCode;
import dev.stability.api.event.LogRecord;
import java.time.Duration;
import java.util.Collection;

/**
 * The runtime's event output, reached through {@code runtime.events()}: SDK events and the
 * application's own business, operation and interface records all leave through here, in the one
 * schema. {@code publish} stamps time, identity and a serial number, counts the record in {@code
 * stability.events}, and hands it to the runtime's event thread, which masks, formats and writes it
 * (SLF4J logger {@code stability.<category>} and every {@link dev.stability.api.event.EventSink}).
 *
 * <p>Thread-safe. The caller never blocks on I/O and holds no lock while a record is formatted. If
 * the bounded queue is full the record is dropped, counted in {@code stability.events.dropped} and
 * reported by an {@code EVENTS_DROPPED} event; nothing is dropped silently. After the runtime is
 * closed, records are written synchronously on the caller's thread instead of being lost.
 */
public interface Events {

  /**
   * Publishes a record. The record must carry a code, category and level ({@link
   * LogRecord#builder(EventCode)} sets them); an {@code INTERFACE} record must also carry {@code
   * interface}, {@code duration_us} and {@code outcome} (R17).
   *
   * @throws IllegalArgumentException naming the missing fields
   */
  void publish(LogRecord record);

  /** Builds and publishes a record. */
  default void publish(LogRecord.Builder record) {
    publish(record.build());
  }

  /** Publishes a record with just a code and a message. */
  default void publish(EventCode code, String message) {
    publish(LogRecord.builder(code).message(message).build());
  }

  /**
   * Waits until every record published before this call has reached every output.
   *
   * @return {@code false} if the timeout passed first
   */
  boolean awaitDelivery(Duration timeout) throws InterruptedException;

  /** Every code this runtime knows: the SDK's catalog and the application's registered codes. */
  Collection<EventCode> catalog();

  /** Total records dropped because the queue was full. */
  long dropped();
}
