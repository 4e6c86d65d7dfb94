package dev.stability.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files the SDK must never leave half-written (capacity store, epoch, standby position and
 * snapshots, endpoint registry): written to a temporary sibling of their own, forced, renamed over
 * the target atomically, and the directory entry forced. A crash leaves the old file or the new
 * one. Internal.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}, atomically and durably. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(parent);
  }

  /**
   * Reads a file holding one number, or {@code absent} if there is no file.
   *
   * @throws IOException naming the file and what it holds if it is not a number
   */
  public static long readLong(Path file, long absent) throws IOException {
    if (!Files.exists(file)) {
      return absent;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + " holds '" + text + "', not a number", e);
    }
  }

  /** Writes one number as a file's whole content, atomically and durably. */
  public static void writeLong(Path file, long value) throws IOException {
    write(file, (value + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Forces a directory's entries (new, renamed, deleted files) to storage, where supported. */
  public static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for syncing; the files themselves are forced.
    }
  }
}
