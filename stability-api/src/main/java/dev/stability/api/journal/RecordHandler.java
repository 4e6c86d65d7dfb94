package dev.stability.api.journal;

import java.nio.ByteBuffer;

/**
 * Receives journal records from a {@link JournalReader}. The payload buffer is a read-only view
 * valid only during the call (it is reused, so reading allocates nothing): copy what must outlive
 * it.
 */
@FunctionalInterface
public interface RecordHandler {

  /** One record: its payload is between the buffer's position and limit. */
  void onRecord(long sequence, long epoch, long timestampMicros, ByteBuffer payload);
}
