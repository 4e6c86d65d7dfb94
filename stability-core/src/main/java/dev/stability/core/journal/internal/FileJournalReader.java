package dev.stability.core.journal.internal;

import dev.stability.api.journal.JournalCorruptedException;
import dev.stability.api.journal.RecordHandler;
import dev.stability.core.journal.JournalFrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Tails the segment files of a file journal through its own read-only mappings, so it works in the
 * writer's process or in another on the same host. Each record's length is read with acquire
 * semantics (the writer stores it last, with release) and its checksum and sequence are verified
 * before delivery. Reading allocates nothing per record.
 */
final class FileJournalReader implements JournalFrameReader {

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final Path directory;
  private final CRC32C crc = new CRC32C();
  private MappedByteBuffer map;
  private ByteBuffer view;
  private ByteBuffer payload;
  private Path segment;
  private int position;
  private long nextSequence;

  FileJournalReader(Path directory, long fromSequence) {
    if (fromSequence < 1) {
      throw new IllegalArgumentException("journal sequences start at 1, got " + fromSequence);
    }
    this.directory = directory;
    this.nextSequence = fromSequence;
    try {
      List<Long> segments = Segments.list(directory);
      long first = -1;
      for (long candidate : segments) {
        if (candidate <= fromSequence) {
          first = candidate;
        }
      }
      if (first < 0) {
        if (segments.isEmpty()) {
          throw new IllegalArgumentException("no journal in " + directory);
        }
        throw new IllegalArgumentException(
            "sequence "
                + fromSequence
                + " is no longer in the journal; it starts at "
                + segments.get(0));
      }
      openSegment(first);
      // Skip to the requested sequence, verifying what is skipped.
      long target = fromSequence;
      nextSequence = first;
      while (nextSequence < target) {
        if (poll((s, e, t, p) -> {}, (int) Math.min(Integer.MAX_VALUE, target - nextSequence))
            == 0) {
          throw new IllegalArgumentException(
              "sequence "
                  + fromSequence
                  + " is beyond the end of the journal (next is "
                  + nextSequence
                  + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + directory + " cannot be read: " + e, e);
    }
  }

  private boolean openSegment(long first) throws IOException {
    Path path = Segments.path(directory, first);
    if (!Files.exists(path)) {
      return false;
    }
    MappedByteBuffer candidate = Segments.map(path, false);
    String problem = Segments.checkHeader(candidate, first);
    if (problem != null) {
      if (problem.startsWith("the header is not written yet")
          || problem.startsWith("the file is shorter")) {
        return false; // the writer is creating it: try again on the next poll
      }
      throw new JournalCorruptedException(path.toString(), 0, problem);
    }
    map = candidate;
    view = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    payload = map.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    segment = path;
    position = Segments.HEADER;
    return true;
  }

  @Override
  public int poll(RecordHandler handler, int limit) {
    int delivered = 0;
    while (delivered < limit) {
      int length = nextRecord();
      if (length == 0) {
        break;
      }
      payload.clear();
      payload.position(position + Segments.RECORD_HEADER).limit(position + length);
      handler.onRecord(
          nextSequence, map.getLong(position + 16), map.getLong(position + 24), payload);
      position += Segments.align8(length);
      nextSequence++;
      delivered++;
    }
    return delivered;
  }

  @Override
  public int pollFrames(ByteBuffer target, int until) {
    int copied = 0;
    while (target.position() < until) {
      int length = nextRecord();
      int size = Segments.align8(length);
      if (length == 0 || size > target.remaining()) {
        break;
      }
      target.put(target.position(), map, position, size);
      target.position(target.position() + size);
      position += size;
      nextSequence++;
      copied++;
    }
    return copied;
  }

  @Override
  public int nextFrameSize() {
    return Segments.align8(nextRecord());
  }

  /**
   * Moves to the next record (into the next segment past padding) and checks it: its length, or 0
   * if none is there yet.
   */
  private int nextRecord() {
    int size = map.capacity();
    while (true) {
      if (position + 4 > size) {
        if (!next()) {
          return 0;
        }
        size = map.capacity();
        continue;
      }
      int length = (int) INT.getAcquire(map, position);
      if (length == 0) {
        return 0;
      }
      if (length == Segments.PADDING) {
        if (!next()) {
          return 0;
        }
        size = map.capacity();
        continue;
      }
      if (length < Segments.RECORD_HEADER || position + Segments.align8(length) > size) {
        throw corrupted("record length " + length + " is out of range");
      }
      long sequence = map.getLong(position + 8);
      if (sequence != nextSequence) {
        throw corrupted("expected sequence " + nextSequence + ", found " + sequence);
      }
      if (map.getInt(position + 4) != Segments.recordCrc(crc, view, position, length)) {
        throw corrupted("checksum mismatch in record " + sequence);
      }
      return length;
    }
  }

  private boolean next() {
    try {
      if (openSegment(nextSequence)) {
        return true;
      }
      // Not there yet is normal at the tail; not there while later segments exist is a gap. The
      // writer may have created it, and a later one, between the attempt above and the listing:
      // a gap only if it is still missing once a later segment is seen.
      for (long first : Segments.list(directory)) {
        if (first > nextSequence) {
          if (openSegment(nextSequence)) {
            return true;
          }
          throw new JournalCorruptedException(
              Segments.path(directory, nextSequence).toString(),
              0,
              "the segment starting at sequence "
                  + nextSequence
                  + " is missing while a later one ("
                  + first
                  + ") exists; nothing after the gap is read");
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("journal segment for " + nextSequence + " cannot be read", e);
    }
  }

  private JournalCorruptedException corrupted(String problem) {
    return new JournalCorruptedException(
        segment.toString(), position, problem + "; nothing from here on is read");
  }

  @Override
  public long nextSequence() {
    return nextSequence;
  }

  @Override
  public void close() {
    map = null;
    view = null;
    payload = null;
  }
}
