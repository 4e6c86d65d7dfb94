package dev.stability.core.standby.internal;

import dev.stability.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The follower's files: {@code position} (last applied sequence, written atomically) and {@code
 * snapshot-<sequence>.bin} (magic, sequence, epoch, length, CRC32C, state bytes; written to a
 * temporary file, forced, renamed; the newest two kept). A damaged snapshot is skipped for the one
 * before it, never restored.
 */
final class StandbyState {

  private static final long MAGIC = 0x31504E53594254L; // "TBYSNP1"
  private static final int HEADER = 32;

  /** A snapshot read back. */
  record Snapshot(long sequence, long epoch, byte[] state) {}

  private final Path directory;

  StandbyState(Path directory) throws IOException {
    this.directory = directory;
    Files.createDirectories(directory);
  }

  long readPosition() throws IOException {
    return AtomicFiles.readLong(directory.resolve("position"), 0);
  }

  void writePosition(long sequence) throws IOException {
    AtomicFiles.writeLong(directory.resolve("position"), sequence);
  }

  void writeSnapshot(long sequence, long epoch, byte[] state) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(HEADER + state.length).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(state);
    bytes.putLong(MAGIC).putLong(sequence).putLong(epoch).putInt(state.length);
    bytes.putInt((int) crc.getValue()).put(state);
    AtomicFiles.write(directory.resolve(name(sequence)), bytes.array());
    List<Long> all = snapshots();
    for (int i = 0; i < all.size() - 2; i++) {
      Files.deleteIfExists(directory.resolve(name(all.get(i))));
    }
  }

  /**
   * The newest snapshot that reads back intact; damaged ones are reported through {@code damaged}.
   */
  Optional<Snapshot> newestSnapshot(List<String> damaged) throws IOException {
    List<Long> all = snapshots();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path file = directory.resolve(name(all.get(i)));
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      String problem = null;
      if (bytes.remaining() < HEADER || bytes.getLong(0) != MAGIC) {
        problem = "not a snapshot file";
      } else if (bytes.getInt(24) != bytes.remaining() - HEADER) {
        problem = "its length does not match its header";
      } else {
        byte[] state = new byte[bytes.getInt(24)];
        bytes.position(HEADER);
        bytes.get(state);
        CRC32C crc = new CRC32C();
        crc.update(state);
        if ((int) crc.getValue() != bytes.getInt(28)) {
          problem = "checksum mismatch";
        } else if (bytes.getLong(8) != all.get(i)) {
          problem = "its sequence does not match its name";
        } else {
          return Optional.of(new Snapshot(bytes.getLong(8), bytes.getLong(16), state));
        }
      }
      damaged.add(file + ": " + problem);
    }
    return Optional.empty();
  }

  private List<Long> snapshots() throws IOException {
    List<Long> sequences = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "snapshot-*.bin")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          sequences.add(Long.parseLong(name.substring(9, name.length() - 4)));
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    sequences.sort(null);
    return sequences;
  }

  private static String name(long sequence) {
    return String.format("snapshot-%020d.bin", sequence);
  }
}
