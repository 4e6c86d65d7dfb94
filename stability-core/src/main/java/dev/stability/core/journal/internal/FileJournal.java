package dev.stability.core.journal.internal;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.internal.AtomicFiles;
import dev.stability.core.internal.DaemonThreads;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * The embedded journal: segment files of a fixed size, memory-mapped (a record is in the page
 * cache, so it survives a process crash, as soon as {@code append} returns, at the cost of a memory
 * copy; measured against FileChannel writes in BENCHMARKS.md), forced to storage per the {@link
 * FlushPolicy}. Opening scans the last segment: a torn or corrupted record is reported, the segment
 * is copied aside as evidence, and everything from that record on is cleared, so it is never read
 * as data. One writer (appends are serialised); readers map the files themselves, in this process
 * or another on the same host. Internal: made by {@code runtime.journals().open}.
 */
public final class FileJournal implements ReplicaJournal {

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle POSITION;

  static {
    try {
      POSITION = MethodHandles.lookup().findVarHandle(FileJournal.class, "position", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A page of the mapped segments. */
  static final int PAGE = 4096;

  /** How far ahead of the appender the pretoucher keeps the pages touched. */
  static final int PRETOUCH_AHEAD = 1 << 20;

  /** The pretoucher's wait with nothing to touch: from this, doubling while the journal is idle. */
  static final long PRETOUCH_PARK_MIN_NANOS = 100_000;

  /** ... up to this. */
  static final long PRETOUCH_PARK_MAX_NANOS = 1_000_000;

  private final JournalSettings settings;
  private final Path directory;
  private final int segmentSize;
  private final Clock clock;
  private final JournalListener listener;
  private final CRC32C crc = new CRC32C();
  private final Thread flusher;
  private final Thread pretoucher;

  /** The current segment, for the pretoucher (written at each start of a segment). */
  private volatile MappedByteBuffer current;

  private volatile boolean stopPretouch;
  private volatile long pagesPretouched;
  private volatile int pretouchedTo;
  private FileChannel lockChannel;
  private java.nio.channels.FileLock lock;
  private MappedByteBuffer map;
  private ByteBuffer view;
  private long segmentFirst;
  private int position;
  private int forcedPosition;
  private int appendsSinceForce;
  private long nextSequence;
  private volatile long lastSequence;
  private volatile long durableSequence;
  private volatile long epoch;
  private long openedAt;
  private long bytesWritten;
  private boolean closed;

  /**
   * Opens (or creates) the journal in {@code settings.directory()} and recovers its tail.
   *
   * @throws UncheckedIOException if the directory or a segment cannot be opened
   */
  public FileJournal(JournalSettings settings, Clock clock, JournalListener listener) {
    this.settings = settings;
    this.directory = settings.directory().toAbsolutePath();
    this.segmentSize = settings.segmentSize();
    this.clock = clock;
    this.listener = listener;
    try {
      open();
      openedAt = lastSequence;
      listener.opened(directory.toString(), lastSequence, epoch);
    } catch (IOException e) {
      releaseLock();
      throw new UncheckedIOException("journal " + directory + " cannot be opened: " + e, e);
    } catch (RuntimeException | Error e) {
      releaseLock(); // a later open in this process must not find the directory still locked
      throw e;
    }
    // The threads start once the journal is open and announced: nothing is left running if an
    // earlier step fails.
    FlushPolicy flush = settings.flush();
    if (flush.kind() == FlushPolicy.Kind.BATCH) {
      this.flusher =
          DaemonThreads.named("stability-journal-" + settings.name()).newThread(this::flushLoop);
      flusher.start();
    } else {
      this.flusher = null;
    }
    if (settings.pretouch()) {
      this.pretoucher =
          DaemonThreads.named("stability-journal-pretouch-" + settings.name())
              .newThread(this::pretouchLoop);
      pretoucher.start();
    } else {
      this.pretoucher = null;
    }
  }

  // ------------------------------------------------------------------------------ recovery

  private void open() throws IOException {
    Files.createDirectories(directory);
    lockDirectory();
    epoch = readEpochFile();
    try (java.nio.file.DirectoryStream<Path> unborn =
        Files.newDirectoryStream(directory, "*" + Segments.SUFFIX + ".new")) {
      for (Path leftover : unborn) {
        Files.delete(leftover); // a crash while a segment was being made: it held no record
      }
    }
    List<Long> segments = Segments.list(directory);
    if (segments.isEmpty()) {
      startSegment(1);
      nextSequence = 1;
      return;
    }
    // Every segment must have a valid header; a bad one ends the journal there.
    for (int i = 0; i < segments.size(); i++) {
      long first = segments.get(i);
      Path path = Segments.path(directory, first);
      MappedByteBuffer candidate = Segments.map(path, true);
      String problem = Segments.checkHeader(candidate, first);
      if (problem != null) {
        setAside(segments.subList(i, segments.size()), problem);
        segments = segments.subList(0, i);
        break;
      }
      if (i == segments.size() - 1) {
        map = candidate;
        segmentFirst = first;
      }
    }
    if (segments.isEmpty()) {
      startSegment(1);
      nextSequence = 1;
      return;
    }
    if (map == null) {
      segmentFirst = segments.get(segments.size() - 1);
      map = Segments.map(Segments.path(directory, segmentFirst), true);
    }
    view = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    recoverTail();
    current = map;
  }

  /**
   * One writer per journal directory, across processes: a second writer would recover a record
   * still being written as torn and then write the same sequences over the first one's.
   */
  private void lockDirectory() throws IOException {
    lockChannel =
        FileChannel.open(
            directory.resolve("writer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "journal "
              + directory
              + " is already open for writing (by this or another process); a standby reads it"
              + " with runtime.journals().reader instead");
    }
  }

  /**
   * Scans the last segment from its start: stops at the end, at padding, or at the first bad
   * record.
   */
  private void recoverTail() throws IOException {
    int pos = Segments.HEADER;
    long expected = segmentFirst;
    String problem = null;
    boolean padded = false;
    while (pos + 4 <= segmentSize) {
      int length = map.getInt(pos);
      if (length == 0) {
        if (!zeroFrom(pos)) {
          problem =
              "a record was torn while being written (a crash): bytes follow an unwritten length";
        }
        break;
      }
      if (length == Segments.PADDING) {
        if (map.getInt(pos + 4) != 0 || !zeroFrom(pos + 8)) {
          problem = "the end-of-segment marker is followed by data";
          break;
        }
        padded = true;
        break;
      }
      if (length < Segments.RECORD_HEADER || pos + Segments.align8(length) > segmentSize) {
        problem = "record length " + length + " is out of range";
        break;
      }
      long sequence = map.getLong(pos + 8);
      if (sequence != expected) {
        problem = "expected sequence " + expected + ", found " + sequence;
        break;
      }
      if (map.getInt(pos + 4) != Segments.recordCrc(crc, view, pos, length)) {
        problem = "checksum mismatch in record " + sequence;
        break;
      }
      epoch = Math.max(epoch, map.getLong(pos + 16));
      pos += Segments.align8(length);
      expected++;
    }
    nextSequence = expected;
    lastSequence = expected - 1;
    durableSequence = expected - 1;
    if (problem != null) {
      Path segment = Segments.path(directory, segmentFirst);
      Path saved = segment.resolveSibling(segment.getFileName() + ".corrupt-" + clock.millis());
      Files.copy(segment, saved, StandardCopyOption.REPLACE_EXISTING);
      for (int i = pos; i < segmentSize; i += 8) {
        map.putLong(i, 0);
      }
      map.force();
      listener.corrupted(segment.toString(), pos, problem, saved.toString());
    }
    if (padded) {
      // The crash came between closing this segment and starting the next one.
      startSegment(expected);
      return;
    }
    position = pos;
    forcedPosition = pos;
  }

  /** Whether everything from {@code pos} to the end of the segment is zero. */
  private boolean zeroFrom(int pos) {
    for (int i = pos; i + 8 <= segmentSize; i += 8) {
      if (map.getLong(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private void setAside(List<Long> firsts, String problem) throws IOException {
    for (long first : firsts) {
      Path segment = Segments.path(directory, first);
      Path saved = segment.resolveSibling(segment.getFileName() + ".corrupt-" + clock.millis());
      Files.move(segment, saved);
      listener.corrupted(segment.toString(), 0, problem, saved.toString());
    }
  }

  /**
   * Makes the next segment under a temporary name, sized and with its header forced, then renames
   * it into place: readers never see a segment that is not ready.
   */
  private void startSegment(long firstSequence) throws IOException {
    Path path = Segments.path(directory, firstSequence);
    Path temp = path.resolveSibling(path.getFileName() + ".new");
    try (RandomAccessFile file = new RandomAccessFile(temp.toFile(), "rw")) {
      file.setLength(segmentSize);
    }
    MappedByteBuffer next = Segments.map(temp, true);
    Segments.writeHeader(next, segmentSize, firstSequence, clock.millis());
    next.force(0, Segments.HEADER);
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    map = next;
    view = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    segmentFirst = firstSequence;
    position = Segments.HEADER;
    forcedPosition = Segments.HEADER;
    current = next;
  }

  // ------------------------------------------------------------------------------ appends

  @Override
  public long append(long epoch, byte[] payload) {
    return append(epoch, ByteBuffer.wrap(payload));
  }

  @Override
  public synchronized long append(long recordEpoch, ByteBuffer payload) {
    return write(nextSequence, recordEpoch, clock.millis() * 1_000L, payload);
  }

  @Override
  public synchronized void appendReplica(
      long sequence, long recordEpoch, long timestampMicros, ByteBuffer payload) {
    if (sequence != nextSequence) {
      throw notNext(sequence);
    }
    write(sequence, recordEpoch, timestampMicros, payload);
  }

  private long write(long sequence, long recordEpoch, long timestampMicros, ByteBuffer payload) {
    checkOpen();
    int length = Segments.RECORD_HEADER + payload.remaining();
    if (payload.remaining() > settings.maxPayload()) {
      throw new IllegalArgumentException(
          "journal "
              + settings.name()
              + ": a payload of "
              + payload.remaining()
              + " bytes is larger than the "
              + settings.maxPayload()
              + " a segment of "
              + segmentSize
              + " bytes can hold");
    }
    takeEpoch(recordEpoch);
    int size = Segments.align8(length);
    if (position + size > segmentSize) {
      roll();
    }
    int at = position;
    map.putLong(at + 8, sequence);
    map.putLong(at + 16, recordEpoch);
    map.putLong(at + 24, timestampMicros);
    map.put(at + Segments.RECORD_HEADER, payload, payload.position(), payload.remaining());
    map.putInt(at + 4, Segments.recordCrc(crc, view, at, length));
    return commit(at, length, sequence);
  }

  @Override
  public synchronized void appendFrame(ByteBuffer frame) {
    checkOpen();
    int from = frame.position();
    if (frame.remaining() < Segments.RECORD_HEADER) {
      throw badFrame("of " + frame.remaining() + " bytes is shorter than a record header (32)");
    }
    int length = (int) INT.get(frame, from);
    if (length < Segments.RECORD_HEADER
        || length - Segments.RECORD_HEADER > settings.maxPayload()) {
      throw badFrame(
          "says length "
              + length
              + ": out of range (32 to "
              + (Segments.RECORD_HEADER + settings.maxPayload())
              + ")");
    }
    int size = Segments.align8(length);
    if (frame.remaining() < size) {
      throw badFrame("says length " + length + " but has only " + frame.remaining() + " bytes");
    }
    long claimed = (long) LONG.get(frame, from + 8);
    if (claimed != nextSequence) {
      throw notNext(claimed);
    }
    if (position + size > segmentSize) {
      roll();
    }
    int at = position;
    // Copied first, then every check reads the copy: what is checked is what is kept.
    map.put(at + 4, frame, from + 4, size - 4);
    long sequence = map.getLong(at + 8);
    long recordEpoch = map.getLong(at + 16);
    String problem =
        sequence != nextSequence
            ? "changed while being copied"
            : map.getInt(at + 4) != Segments.recordCrc(crc, view, at, length)
                ? "of record " + sequence + " failed its CRC32C check"
                : null;
    if (problem != null || recordEpoch < epoch) {
      for (int i = at + 4; i < at + size; i++) {
        map.put(i, (byte) 0); // never written: the tail stays zero after the last record
      }
      if (problem != null) {
        throw badFrame(problem);
      }
    }
    takeEpoch(recordEpoch);
    commit(at, length, sequence);
  }

  private IllegalArgumentException badFrame(String problem) {
    return new IllegalArgumentException(
        "journal " + settings.name() + ": a replica frame " + problem + "; nothing was written");
  }

  private IllegalStateException notNext(long sequence) {
    return new IllegalStateException(
        "journal "
            + settings.name()
            + ": replica record "
            + sequence
            + " is not the next one ("
            + nextSequence
            + "): "
            + (sequence < nextSequence ? "a duplicate" : "a gap of " + (sequence - nextSequence))
            + "; nothing was written");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("journal " + settings.name() + " is closed");
    }
  }

  /** Refuses a record of an older epoch; stores a newer one before the record is written. */
  private void takeEpoch(long recordEpoch) {
    long current = epoch;
    if (recordEpoch < current) {
      listener.fenced(recordEpoch, current);
      throw new EpochFencedException("journal append", recordEpoch, current);
    }
    if (recordEpoch > current) {
      // Stored before the record is visible, as fence() does: recovery reads only the last
      // segment, so after a crash right after a roll the epoch would otherwise fall back.
      writeEpochFile(recordEpoch);
      epoch = recordEpoch;
    }
  }

  /** Publishes the record written at {@code at}: its length last, then the policy's force. */
  private long commit(int at, int length, long sequence) {
    int size = Segments.align8(length);
    INT.setRelease(map, at, length); // publish: a reader that sees the length sees the record
    position = at + size;
    nextSequence = sequence + 1;
    bytesWritten += size;
    lastSequence = sequence;
    switch (settings.flush().kind()) {
      case EVERY_RECORD -> force();
      case BATCH -> {
        if (++appendsSinceForce >= settings.flush().records()) {
          appendsSinceForce = 0;
          LockSupport.unpark(flusher); // the flusher forces; the appender does not wait for it
        }
      }
      case OS -> durableSequence = sequence;
    }
    return sequence;
  }

  private void roll() {
    try {
      if (position + 4 <= segmentSize) {
        INT.setRelease(map, position, Segments.PADDING);
      }
      position = Math.min(position + 4, segmentSize);
      // Whatever the policy, a segment left behind is forced: sync() only forces the current one.
      if (position > forcedPosition) {
        map.force(forcedPosition, position - forcedPosition);
        forcedPosition = position;
      }
      force();
      long first = nextSequence;
      startSegment(first);
      listener.rolled(Segments.path(directory, first).toString(), first);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + settings.name() + " cannot start a segment", e);
    }
  }

  /** Forces what was written since the last force; durable catches up with last. */
  private void force() {
    if (settings.flush().kind() == FlushPolicy.Kind.OS) {
      durableSequence = lastSequence;
      return;
    }
    int from = forcedPosition;
    int length = position - from;
    if (length > 0) {
      long start = System.nanoTime();
      try {
        map.force(from, length);
      } catch (UncheckedIOException e) {
        listener.flushFailed(e);
        throw e;
      }
      listener.flushed(System.nanoTime() - start);
    }
    forcedPosition = position;
    appendsSinceForce = 0;
    durableSequence = lastSequence;
  }

  /**
   * The batch flusher: every interval, or as soon as an appender signals N records, forces what was
   * written since the last force, without holding the append lock while storage works (it takes the
   * lock only to note the range before and the new durable sequence after), so appends go on during
   * an msync. A failure is reported and tried again at the next turn.
   */
  private void flushLoop() {
    long interval = settings.flush().interval().toNanos();
    while (true) {
      LockSupport.parkNanos(this, interval);
      MappedByteBuffer segment;
      long first;
      int from;
      int to;
      long sequence;
      synchronized (this) {
        if (closed) {
          return;
        }
        if (durableSequence >= lastSequence) {
          continue;
        }
        segment = map;
        first = segmentFirst;
        from = forcedPosition;
        to = position;
        sequence = lastSequence;
      }
      try {
        long start = System.nanoTime();
        if (to > from) {
          segment.force(from, to - from);
        }
        listener.flushed(System.nanoTime() - start);
      } catch (UncheckedIOException e) {
        listener.flushFailed(e);
        continue;
      }
      synchronized (this) {
        if (segmentFirst == first && forcedPosition < to) {
          forcedPosition = to; // (a roll in between forced the old segment itself)
        }
        if (durableSequence < sequence) {
          durableSequence = sequence;
        }
      }
    }
  }

  @Override
  public synchronized long sync() {
    if (!closed) {
      if (settings.flush().kind() == FlushPolicy.Kind.OS) {
        map.force(forcedPosition, position - forcedPosition);
        forcedPosition = position;
      }
      force();
    }
    return durableSequence;
  }

  @Override
  public long lastSequence() {
    return lastSequence;
  }

  @Override
  public long durableSequence() {
    return durableSequence;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public synchronized void fence(long newEpoch) {
    if (newEpoch < epoch) {
      throw new IllegalArgumentException(
          "journal "
              + settings.name()
              + ": cannot fence back to epoch "
              + newEpoch
              + " from "
              + epoch);
    }
    epoch = newEpoch;
    writeEpochFile(newEpoch);
  }

  private long readEpochFile() throws IOException {
    return AtomicFiles.readLong(directory.resolve("epoch"), 0);
  }

  private void writeEpochFile(long value) {
    try {
      AtomicFiles.writeLong(directory.resolve("epoch"), value);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "journal " + settings.name() + " cannot store epoch " + value, e);
    }
  }

  private void syncDirectory() {
    AtomicFiles.syncDirectory(directory);
  }

  @Override
  public JournalReader reader(long fromSequence) {
    return new FileJournalReader(directory, fromSequence);
  }

  /** A reader of the journal in {@code directory} without opening it for writing. */
  public static JournalReader reader(Path directory, long fromSequence) {
    return new FileJournalReader(directory.toAbsolutePath(), fromSequence);
  }

  /** Records appended since open. */
  public long appended() {
    return lastSequence - openedAt;
  }

  /** Bytes appended since open, headers and padding included. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /**
   * Keeps the current segment's pages touched up to {@link #PRETOUCH_AHEAD} past the appender's
   * position, from the page after the one it writes. The touch is {@code getAndAdd(0)} on the
   * page's first word: an atomic read-modify-write that leaves whatever is there, a record written
   * at the same moment included (as the JVM pretouches a heap in use). Reads the appender's
   * position without its lock: a stale value only means touching less far ahead. Never unmaps:
   * segments are released by the garbage collector once nobody holds them.
   */
  private void pretouchLoop() {
    MappedByteBuffer touching = null;
    int touched = 0;
    long pages = 0;
    long park = PRETOUCH_PARK_MIN_NANOS;
    while (!stopPretouch) {
      MappedByteBuffer segment = current;
      if (segment != touching) {
        touching = segment;
        touched = 0;
      }
      int at = (int) POSITION.getOpaque(this);
      int from = Math.max(touched, (at & -PAGE) + PAGE);
      int to = (int) Math.min(segmentSize, (long) (at & -PAGE) + PAGE + PRETOUCH_AHEAD);
      if (touching == null || from >= to) {
        // Nothing to touch: wait longer while the journal stays idle, up to 1 ms (a mebibyte
        // ahead lasts about 2 ms at the fastest appends measured, 3.9 M records/s of 136 bytes).
        LockSupport.parkNanos(park);
        park = Math.min(2 * park, PRETOUCH_PARK_MAX_NANOS);
        continue;
      }
      park = PRETOUCH_PARK_MIN_NANOS;
      for (int page = from; page < to && !stopPretouch; page += PAGE) {
        INT.getAndAdd(touching, page, 0);
        pages++;
      }
      touched = to;
      pagesPretouched = pages;
      pretouchedTo = to;
    }
  }

  /**
   * Pages the pretoucher has touched so far (0 without {@code pretouch}). Pages the appender
   * reached first are not touched (it took their faults itself), so this is at most the pages
   * written, not always equal.
   */
  public long pagesPretouched() {
    return pagesPretouched;
  }

  /** The offset in its segment the pretoucher last touched up to (0 before its first touch). */
  public int pretouchedTo() {
    return pretouchedTo;
  }

  /** The settings. */
  public JournalSettings settings() {
    return settings;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (settings.flush().kind() != FlushPolicy.Kind.OS) {
      force();
    }
    closed = true;
    if (flusher != null) {
      LockSupport.unpark(flusher); // it sees closed and ends
    }
    if (pretoucher != null) {
      stopPretouch = true;
      LockSupport.unpark(pretoucher);
      try {
        pretoucher.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // The lock goes with the process anyway.
    }
  }

  @Override
  public String toString() {
    return "FileJournal[" + settings.name() + ", " + directory + ", last " + lastSequence + "]";
  }
}
