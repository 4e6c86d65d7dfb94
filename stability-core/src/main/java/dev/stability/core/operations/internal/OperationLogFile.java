package dev.stability.core.operations.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.event.Events;
import dev.stability.core.event.LogRecordFormat;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The hash-chained operation log on disk: one JSON line per record, forced to disk before {@link
 * #append} returns, rolled daily, a torn last line moved aside on open. Without a file it keeps the
 * chain in memory (last 10000 records). Internal: reached through {@link OperationLog}.
 */
public final class OperationLogFile implements OperationLog, AutoCloseable {

  /** The {@code prev_hash} of the very first record. */
  public static final String GENESIS = "0".repeat(64);

  private static final int MEMORY_RECORDS = 10_000;

  private final Path file;
  private final Duration retention;
  private final Clock clock;
  private final ZoneId zone;
  private final Events events;
  private final UnaryOperator<LogRecord.Builder> stamp;
  private final Deque<LogRecord> memory = new ArrayDeque<>();
  private FileChannel channel;
  private LocalDate activeDay;
  private long lastSeq;
  private String lastHash = GENESIS;

  /**
   * Opens (or creates) the log; {@code stamp} fills the identity fields of records the log writes
   * itself (retention purges).
   *
   * @throws OperationLogException if the file cannot be opened or its last record is unreadable
   */
  public OperationLogFile(
      Path file,
      Duration retention,
      Clock clock,
      Events events,
      UnaryOperator<LogRecord.Builder> stamp) {
    this.file = file == null ? null : file.toAbsolutePath();
    this.retention = retention;
    this.clock = clock;
    this.zone = clock.getZone();
    this.events = events;
    this.stamp = stamp;
    this.activeDay = LocalDate.now(clock);
    if (this.file != null) {
      open();
    }
  }

  private void open() {
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file)) {
        cutTornTail();
      }
      String head = lastLine(file);
      if (head != null) {
        activeDay = readHead(file, head).ts().toLocalDate();
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
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot be opened: " + e, e);
    }
  }

  private record Head(java.time.OffsetDateTime ts) {}

  private Head readHead(Path source, String line) {
    try {
      LogRecord record = LogRecordFormat.parse(line);
      lastSeq = Long.parseLong(require(record, "op_seq"));
      lastHash = require(record, "hash");
      return new Head(record.timestamp());
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
          LogRecord.of(StabilityEventCode.OPERATION_LOG_TORN_TAIL)
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
    LocalDate today = LocalDate.now(clock);
    if (channel != null && !today.equals(activeDay)) {
      roll(today);
    }
    LogRecord chained =
        record.toBuilder()
            .attr("op_seq", lastSeq + 1)
            .attr("prev_hash", lastHash)
            .attr("hash", null)
            .build();
    String hash = hash(lastHash, LogRecordFormat.toJson(chained));
    LogRecord written = chained.toBuilder().attr("hash", hash).build();
    if (channel != null) {
      try {
        ByteBuffer bytes = ByteBuffer.wrap(LogRecordFormat.toLineBytes(written));
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
    } else {
      memory.addLast(written);
      if (memory.size() > MEMORY_RECORDS) {
        memory.removeFirst();
      }
    }
    lastSeq++;
    lastHash = hash;
    activeDay = today;
    return written;
  }

  private void roll(LocalDate today) {
    try {
      if (channel.size() > 0) {
        channel.close();
        Files.move(file, rolledName(activeDay), StandardCopyOption.ATOMIC_MOVE);
        channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot be rolled to a dated file: " + e, e);
    }
    activeDay = today;
    purgeExpired(today);
  }

  /** Deletes rolled files older than the retention, recording each deletion in the chain. */
  private void purgeExpired(LocalDate today) {
    LocalDate oldestKept = today.minusDays(retention.toDays());
    for (Path rolled : rolledFiles()) {
      LocalDate day = dayOf(rolled);
      if (day != null && day.isBefore(oldestKept)) {
        try {
          Files.delete(rolled);
        } catch (IOException e) {
          continue; // kept longer is allowed; tried again at the next roll
        }
        activeDay = today;
        append(
            stamp
                .apply(
                    LogRecord.of(StabilityEventCode.OPERATION_EXECUTED)
                        .operator("stability-sdk")
                        .outcome(dev.stability.api.event.Outcome.SUCCESS)
                        .message(
                            "deleted operation log file "
                                + rolled.getFileName()
                                + " of "
                                + day
                                + " after the retention of "
                                + retention.toDays()
                                + " days")
                        .attr("action", "operation-log.purge")
                        .attr("target", rolled.getFileName().toString()))
                .build());
      }
    }
  }

  private Path rolledName(LocalDate day) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return file.resolveSibling(base + "." + day + ext);
  }

  private LocalDate dayOf(Path rolled) {
    String name = rolled.getFileName().toString();
    String active = file.getFileName().toString();
    int dot = active.lastIndexOf('.');
    String base = dot > 0 ? active.substring(0, dot) : active;
    String ext = dot > 0 ? active.substring(dot) : "";
    if (name.length() != base.length() + 1 + 10 + ext.length()
        || !name.startsWith(base + ".")
        || !name.endsWith(ext)) {
      return null;
    }
    String middle = name.substring(base.length() + 1, name.length() - ext.length());
    try {
      return LocalDate.parse(middle);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Rolled files, oldest first. */
  private List<Path> rolledFiles() {
    List<Path> rolled = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent())) {
      for (Path candidate : dir) {
        if (dayOf(candidate) != null) {
          rolled.add(candidate);
        }
      }
    } catch (IOException e) {
      throw new OperationLogException(file, "cannot list rolled files: " + e, e);
    }
    rolled.sort((a, b) -> dayOf(a).compareTo(dayOf(b)));
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

  /** SHA-256 over the previous hash, a newline, and the record's line without its hash. */
  static String hash(String previous, String json) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '\n');
      sha.update(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  @Override
  public synchronized List<LogRecord> tail(int count) {
    if (count <= 0) {
      return List.of();
    }
    if (file == null) {
      List<LogRecord> all = new ArrayList<>(memory);
      return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }
    Deque<LogRecord> tail = new ArrayDeque<>();
    List<Path> files = new ArrayList<>(rolledFiles());
    files.add(file);
    for (int f = files.size() - 1; f >= 0 && tail.size() < count; f--) {
      List<String> lines;
      try {
        lines = Files.exists(files.get(f)) ? Files.readAllLines(files.get(f)) : List.of();
      } catch (IOException e) {
        throw new OperationLogException(files.get(f), "cannot be read: " + e, e);
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

  @Override
  public synchronized Verification verify() {
    if (file == null) {
      return ChainVerifier.verify(List.of(), memory);
    }
    List<Path> files = new ArrayList<>(rolledFiles());
    if (Files.exists(file)) {
      files.add(file);
    }
    return ChainVerifier.verify(files, null);
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

  ZoneId zone() {
    return zone;
  }
}
