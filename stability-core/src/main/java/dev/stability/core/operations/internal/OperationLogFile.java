package dev.stability.core.operations.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.event.Events;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.internal.AtomicFiles;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The hash-chained operation log on disk: one JSON line per record, forced to disk (with its
 * directory entry) before {@link #append} returns, rolled daily to {@code <name>.<date>.<ext>}
 * (never over an existing file), a torn last line moved aside on open. Expired files are deleted
 * only after a purge record naming their last sequence and hash is in the chain, which is what lets
 * {@link #verify()} accept a log that no longer starts at 1. Without a file the chain is kept in
 * memory (last 10000 records). Internal: reached through {@link OperationLog}.
 */
public final class OperationLogFile implements OperationLog, AutoCloseable {

  /** The {@code prev_hash} of the very first record. */
  public static final String GENESIS = "0".repeat(64);

  /** The action of the SDK's own purge records; reserved. */
  public static final String PURGE_ACTION = "operation-log.purge";

  /** The operator of records the SDK writes on its own. */
  public static final String SDK_OPERATOR = "stability-sdk";

  private static final int MEMORY_RECORDS = 10_000;

  /** Lines kept in memory for a standby's replica to fetch without reading the files. */
  private static final int RECENT_LINES = 1_024;

  private final Path file;
  private final Duration retention;
  private final Clock clock;
  private final ZoneId zone;
  private final Events events;
  private final UnaryOperator<LogRecord.Builder> stamp;
  private final ChainHash chain;
  private final Deque<LogRecord> memory = new ArrayDeque<>();
  private final Deque<String> recentLines = new ArrayDeque<>();
  private final boolean replica;
  private boolean memoryTrimmed;
  private FileChannel channel;
  private LocalDate activeDay;
  private long lastSeq;
  private String lastHash = GENESIS;

  /**
   * Opens (or creates) the log; {@code stamp} fills the identity fields of records the log writes
   * itself (retention purges); {@code key}, if not null, makes the chain an HMAC.
   *
   * @throws OperationLogException if the file cannot be opened or its last record is unreadable
   */
  public OperationLogFile(
      Path file,
      Duration retention,
      Clock clock,
      Events events,
      UnaryOperator<LogRecord.Builder> stamp,
      byte[] key) {
    this(file, retention, clock, events, stamp, key, false);
  }

  /**
   * Opens (or creates) a log; a {@code replica} holds another process's chain: it takes only {@link
   * #appendReplicated} records, verbatim, and deletes its files only when a replicated purge record
   * says so (it never chains records of its own).
   *
   * @throws OperationLogException if the file cannot be opened or its last record is unreadable
   */
  public OperationLogFile(
      Path file,
      Duration retention,
      Clock clock,
      Events events,
      UnaryOperator<LogRecord.Builder> stamp,
      byte[] key,
      boolean replica) {
    this.replica = replica;
    this.file = file == null ? null : file.toAbsolutePath();
    this.retention = retention;
    this.clock = clock;
    this.zone = clock.getZone();
    this.events = events;
    this.stamp = stamp;
    this.chain = new ChainHash(key);
    this.activeDay = LocalDate.now(clock);
    if (this.file != null) {
      open();
    }
  }

  private void open() {
    try {
      Path parent = file.getParent();
      Files.createDirectories(parent);
      if (Files.exists(file)) {
        cutTornTail();
      }
      String head = lastLine(file);
      if (head != null) {
        activeDay = readHead(file, head);
      } else {
        List<Path> rolled = rolledFiles();
        if (!rolled.isEmpty()) {
          Path latest = rolled.get(rolled.size() - 1);
          String line = lastLine(latest);
          if (line != null) {
            readHead(latest, line);
          }
        }
      }
      boolean created = !Files.exists(file);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      if (created) {
        syncDirectory();
      }
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot be opened: " + e, e);
    }
  }

  /** Reads op_seq and hash of the head record; returns its day in the log's zone. */
  private LocalDate readHead(Path source, String line) {
    try {
      LogRecord record = LogRecordFormat.parse(line);
      lastSeq = Long.parseLong(require(record, "op_seq"));
      lastHash = require(record, "hash");
      return record.timestamp().atZoneSameInstant(zone).toLocalDate();
    } catch (RuntimeException e) {
      throw new OperationLogException(
          source,
          "the last record cannot be read ("
              + e.getMessage()
              + "); nothing is appended until the file is repaired (verify() names the first bad"
              + " record)",
          e);
    }
  }

  private static String require(LogRecord record, String attr) {
    String value = record.attrs().get(attr);
    if (value == null) {
      throw new IllegalArgumentException("attribute '" + attr + "' is missing");
    }
    return value;
  }

  /** Moves bytes after the last newline (a record half-written by a crash) aside. */
  private void cutTornTail() throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        return;
      }
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep == size) {
        return;
      }
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - keep, 16 * 1024 * 1024));
      ch.read(tail, keep);
      Path aside = file.resolveSibling(file.getFileName() + ".torn-" + clock.millis());
      Files.write(aside, java.util.Arrays.copyOf(tail.array(), tail.position()));
      ch.truncate(keep);
      ch.force(true);
      events.publish(
          LogRecord.builder(StabilityEventCode.OPERATION_LOG_TORN_TAIL)
              .message(
                  "operation log "
                      + file
                      + " ended with a half-written record of "
                      + (size - keep)
                      + " bytes at offset "
                      + keep
                      + " (a crash while writing); moved to "
                      + aside
                      + ", the chain continues from the last whole record")
              .attr("file", file.toString())
              .attr("offset", keep)
              .attr("bytes", size - keep)
              .attr("saved_to", aside.toString()));
    }
  }

  /**
   * Chains and writes a record: adds {@code op_seq}, {@code prev_hash} and {@code hash}, forces it
   * to disk, and returns it as written.
   *
   * @throws OperationLogException if it cannot be written; the chain is left as it was
   */
  public synchronized LogRecord append(LogRecord record) {
    if (replica) {
      throw new IllegalStateException(
          "operation log "
              + file
              + " is a replica of the primary's chain: it takes no records of its own");
    }
    LocalDate today = LocalDate.now(clock);
    if (channel != null && !today.equals(activeDay)) {
      roll(today);
    }
    return chainAndWrite(record, today);
  }

  private LogRecord chainAndWrite(LogRecord record, LocalDate today) {
    LogRecord chained =
        record.toBuilder()
            .attr("op_seq", lastSeq + 1)
            .attr("prev_hash", lastHash)
            .attr("hash", null)
            .build();
    String hash = chain.link(lastHash, LogRecordFormat.toJson(chained));
    LogRecord written = chained.toBuilder().attr("hash", hash).build();
    byte[] line = LogRecordFormat.toLineBytes(written);
    write(line);
    kept(written, line, lastSeq + 1, hash);
    activeDay = today;
    return written;
  }

  /** A record is written: kept in memory (without a file), remembered, and the new head. */
  private void kept(LogRecord record, byte[] line, long seq, String hash) {
    if (channel == null) {
      memory.addLast(record);
      if (memory.size() > MEMORY_RECORDS) {
        memory.removeFirst();
        memoryTrimmed = true;
      }
      if (memory.size() == 1 && seq > 1) {
        memoryTrimmed = true; // a replica's chain starts after 1: verify() accepts its start
      }
    }
    remember(line);
    lastSeq = seq;
    lastHash = hash;
  }

  /** Writes one whole line and forces it; on failure nothing of it is left behind. */
  private void write(byte[] line) {
    if (channel != null) {
      try {
        ByteBuffer bytes = ByteBuffer.wrap(line);
        long position = channel.size();
        try {
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
          channel.force(false);
        } catch (IOException e) {
          channel.truncate(position); // never leave half a record behind a live writer
          throw e;
        }
      } catch (IOException e) {
        throw new OperationLogException(file, "cannot be written: " + e, e);
      }
    }
  }

  private void remember(byte[] line) {
    int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
    recentLines.addLast(new String(line, 0, end, StandardCharsets.UTF_8));
    if (recentLines.size() > (channel == null ? MEMORY_RECORDS : RECENT_LINES)) {
      recentLines.removeFirst();
    }
  }

  /**
   * The chain's head.
   *
   * @param seq the last record's {@code op_seq}, 0 for an empty log
   * @param hash its hash ({@link #GENESIS} for an empty log)
   */
  public record Head(long seq, String hash) {}

  /** The last record's sequence and hash. */
  public synchronized Head head() {
    return new Head(lastSeq, lastHash);
  }

  /**
   * The records after {@code seq}, as written (one line each, no newline), oldest first, stopping
   * once {@code maxBytes} is reached (at least one record is returned if there is one). Recent
   * records come from memory; older ones are read from the files.
   */
  public synchronized List<String> linesAfter(long seq, int maxBytes) {
    List<String> out = new ArrayList<>();
    if (seq >= lastSeq) {
      return out;
    }
    long firstRecent = lastSeq - recentLines.size() + 1;
    if (seq + 1 >= firstRecent || file == null) {
      long at = firstRecent;
      int bytes = 0;
      for (String line : recentLines) {
        if (at++ <= seq) {
          continue;
        }
        if (!out.isEmpty() && bytes + line.length() > maxBytes) {
          break;
        }
        out.add(line);
        bytes += line.length();
      }
      return out;
    }
    List<Path> files = new ArrayList<>(rolledFiles());
    files.add(file);
    int bytes = 0;
    for (Path path : files) {
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : ChainVerifier.lines(path)) {
        if (line.isBlank()) {
          continue;
        }
        long opSeq;
        try {
          opSeq = Long.parseLong(require(LogRecordFormat.parse(line), "op_seq"));
        } catch (RuntimeException e) {
          throw new OperationLogException(
              path,
              "cannot be sent to the standby: a record after op_seq "
                  + seq
                  + " is unreadable ("
                  + e.getMessage()
                  + "); verify() names it",
              e);
        }
        if (opSeq <= seq) {
          continue;
        }
        if (!out.isEmpty() && bytes + line.length() > maxBytes) {
          return out;
        }
        out.add(line);
        bytes += line.length();
      }
    }
    return out;
  }

  /**
   * Appends a record of the primary's chain to this replica, verbatim, after checking that it
   * continues the chain (next op_seq, prev_hash of the head, hash of its content); a replicated
   * purge record deletes the replica's file it names.
   *
   * @return the record's op_seq
   * @throws IllegalArgumentException naming the op_seq and what is wrong when the record does not
   *     continue the chain (altered, missing or reordered); nothing is written
   * @throws OperationLogException if it cannot be written
   */
  public synchronized long appendReplicated(String line) {
    if (!replica) {
      throw new IllegalStateException("operation log " + file + " is not a replica");
    }
    LogRecord record;
    try {
      record = LogRecordFormat.parse(line);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a replicated operation-log record after op_seq "
              + lastSeq
              + " is not a valid record: "
              + e.getMessage(),
          e);
    }
    java.util.Optional<String> problem = ChainVerifier.checkNext(chain, lastSeq, lastHash, record);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(
          "replicated operation-log record op_seq "
              + record.attrs().get("op_seq")
              + " does not continue the replica's chain (head op_seq "
              + lastSeq
              + "): "
              + problem.get());
    }
    LocalDate day = record.timestamp().atZoneSameInstant(zone).toLocalDate();
    if (channel != null && activeFileEmpty()) {
      activeDay = day; // a new replica catching up: its first file is of its first record's day
    } else if (channel != null && day.isAfter(activeDay)) {
      rollReplica(day);
    }
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    write(bytes);
    kept(record, bytes, Long.parseLong(record.attrs().get("op_seq")), record.attrs().get("hash"));
    if (PURGE_ACTION.equals(record.attrs().get("action")) && channel != null) {
      deletePurged(record.attrs().get("target"));
    }
    return lastSeq;
  }

  private boolean activeFileEmpty() {
    try {
      return channel.size() == 0;
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot be read: " + e, e);
    }
  }

  /** Takes a record already checked by a replica into this in-memory log (a promotion). */
  synchronized void adoptInMemory(String line) {
    LogRecord record = LogRecordFormat.parse(line);
    kept(
        record,
        (line + "\n").getBytes(StandardCharsets.UTF_8),
        Long.parseLong(record.attrs().get("op_seq")),
        record.attrs().get("hash"));
  }

  /** A replica rolls on the day of the records it receives, and never purges by itself. */
  private void rollReplica(LocalDate day) {
    rollFile();
    activeDay = day;
  }

  private void deletePurged(String target) {
    if (target == null) {
      return;
    }
    Path purged = file.resolveSibling(target);
    if (rolledDay(purged) == null) {
      return; // not one of this log's rolled files: never delete anything else
    }
    try {
      Files.deleteIfExists(purged);
      syncDirectory();
    } catch (IOException e) {
      events.publish(
          LogRecord.builder(StabilityEventCode.OPERATION_EXECUTED)
              .operator(SDK_OPERATOR)
              .outcome(Outcome.FAILURE)
              .error(e)
              .message(
                  "the primary purged "
                      + target
                      + " from its operation log, but the replica's copy could not be deleted: "
                      + e)
              .attr("action", PURGE_ACTION)
              .attr("target", target));
    }
  }

  private void roll(LocalDate today) {
    rollFile();
    activeDay = today;
    purgeExpired(today);
  }

  /** Moves the active file to its dated name (never over another) and opens a new one. */
  private void rollFile() {
    try {
      if (channel.size() > 0) {
        channel.close();
        Files.move(file, freeRolledName(activeDay), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
      }
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot be rolled to a dated file: " + e, e);
    } finally {
      if (!channel.isOpen()) {
        try {
          channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND);
          syncDirectory();
        } catch (IOException e) {
          throw new OperationLogException(file, "cannot be reopened after rolling: " + e, e);
        }
      }
    }
  }

  /**
   * Deletes rolled files older than the retention. For each, a purge record naming its last
   * sequence and hash is chained first, then the file is deleted: a crash in between leaves the
   * file and an extra record, never a gap without a record. A failure is an event: housekeeping
   * never refuses the operation being recorded.
   */
  private void purgeExpired(LocalDate today) {
    LocalDate oldestKept = today.minusDays(retention.toDays());
    for (Path rolled : rolledFiles()) {
      LocalDate day = rolledDay(rolled);
      if (day == null || !day.isBefore(oldestKept)) {
        continue;
      }
      try {
        String last = lastLine(rolled);
        LogRecord lastRecord = last == null ? null : LogRecordFormat.parse(last);
        LogRecord.Builder purge =
            stamp.apply(
                LogRecord.builder(StabilityEventCode.OPERATION_EXECUTED)
                    .operator(SDK_OPERATOR)
                    .outcome(Outcome.SUCCESS)
                    .message(
                        "deleted operation log file "
                            + rolled.getFileName()
                            + " of "
                            + day
                            + " after the retention of "
                            + retention.toDays()
                            + " days")
                    .attr("action", PURGE_ACTION)
                    .attr("target", rolled.getFileName().toString())
                    .attr("purged_day", day.toString()));
        if (lastRecord != null) {
          purge
              .attr("purged_last_seq", require(lastRecord, "op_seq"))
              .attr("purged_last_hash", require(lastRecord, "hash"));
        }
        events.publish(chainAndWrite(purge.build(), today));
        Files.delete(rolled);
        syncDirectory();
      } catch (IOException | RuntimeException e) {
        events.publish(
            LogRecord.builder(StabilityEventCode.OPERATION_EXECUTED)
                .operator(SDK_OPERATOR)
                .outcome(Outcome.FAILURE)
                .error(e)
                .message(
                    "could not delete expired operation log file "
                        + rolled.getFileName()
                        + ": "
                        + e
                        + "; it is kept and tried again at the next roll")
                .attr("action", PURGE_ACTION)
                .attr("target", rolled.getFileName().toString()));
        return;
      }
    }
  }

  private void syncDirectory() {
    AtomicFiles.syncDirectory(file.getParent());
  }

  /** {@code <base>.<date>[-<n>].<ext>}: the first name not taken, so a roll never overwrites. */
  private Path freeRolledName(LocalDate day) {
    String[] parts = baseAndExtension();
    Path candidate = file.resolveSibling(parts[0] + "." + day + parts[1]);
    for (int n = 1; Files.exists(candidate); n++) {
      candidate = file.resolveSibling(parts[0] + "." + day + "-" + n + parts[1]);
    }
    return candidate;
  }

  private String[] baseAndExtension() {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0
        ? new String[] {name.substring(0, dot), name.substring(dot)}
        : new String[] {name, ""};
  }

  /** The day of a rolled file's name, or null if the name is not one of this log's. */
  private LocalDate rolledDay(Path rolled) {
    String middle = rolledMiddle(rolled);
    if (middle == null) {
      return null;
    }
    try {
      return LocalDate.parse(middle.substring(0, 10));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private int rolledIndex(Path rolled) {
    String middle = rolledMiddle(rolled);
    return middle == null || middle.length() == 10 ? 0 : Integer.parseInt(middle.substring(11));
  }

  private String rolledMiddle(Path rolled) {
    String name = rolled.getFileName().toString();
    String[] parts = baseAndExtension();
    if (!name.startsWith(parts[0] + ".") || !name.endsWith(parts[1])) {
      return null;
    }
    int from = parts[0].length() + 1;
    int to = name.length() - parts[1].length();
    if (to - from < 10) {
      return null;
    }
    String middle = name.substring(from, to);
    boolean plain = middle.length() == 10;
    boolean numbered =
        middle.length() > 11
            && middle.charAt(10) == '-'
            && middle.substring(11).chars().allMatch(Character::isDigit);
    return plain || numbered ? middle : null;
  }

  /** Rolled files, oldest first. */
  private List<Path> rolledFiles() {
    List<Path> rolled = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent())) {
      for (Path candidate : dir) {
        if (rolledDay(candidate) != null) {
          rolled.add(candidate);
        }
      }
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot list rolled files: " + e, e);
    }
    rolled.sort(Comparator.comparing(this::rolledDay).thenComparingInt(this::rolledIndex));
    return rolled;
  }

  private static String lastLine(Path path) throws IOException {
    if (!Files.exists(path)) {
      return null;
    }
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i);
      }
    }
    return null;
  }

  @Override
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * The rolled files (immutable once rolled) and the active file's whole records, read under the
   * lock; the walk itself runs without it.
   */
  private record Snapshot(List<Path> rolled, List<String> active) {}

  private synchronized Snapshot snapshot() {
    List<Path> rolled = rolledFiles();
    List<String> active = List.of();
    if (Files.exists(file)) {
      try {
        active = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new OperationLogException(file, "cannot be read: " + e, e);
      }
    }
    return new Snapshot(rolled, active);
  }

  @Override
  public List<LogRecord> tail(int count) {
    if (count <= 0) {
      return List.of();
    }
    if (file == null) {
      synchronized (this) {
        List<LogRecord> all = new ArrayList<>(memory);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
      }
    }
    Snapshot snapshot = snapshot();
    Deque<LogRecord> tail = new ArrayDeque<>();
    List<String> lines = snapshot.active();
    for (int f = snapshot.rolled().size(); f >= 0 && tail.size() < count; f--) {
      if (f < snapshot.rolled().size()) {
        lines = ChainVerifier.lines(snapshot.rolled().get(f));
      }
      for (int i = lines.size() - 1; i >= 0 && tail.size() < count; i--) {
        try {
          tail.addFirst(LogRecordFormat.parse(lines.get(i)));
        } catch (IllegalArgumentException e) {
          // Unreadable lines are for verify() to name; the tail shows what can be read.
        }
      }
    }
    return List.copyOf(tail);
  }

  /** Walks the chain without holding the log's lock: appends go on meanwhile. */
  @Override
  public Verification verify() {
    if (file == null) {
      synchronized (this) {
        return ChainVerifier.verifyRecords(new ArrayList<>(memory), memoryTrimmed, chain);
      }
    }
    Snapshot snapshot = snapshot();
    return ChainVerifier.verifyFiles(snapshot.rolled(), file, snapshot.active(), chain);
  }

  /** Closes the file. */
  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Every record was forced when written; nothing is lost by a failing close.
      }
    }
  }
}
