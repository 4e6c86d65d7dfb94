package dev.stability.core.journal.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the file journal, shared by the writer and readers.
 *
 * <pre>
 * segment file  %020d.seg (first sequence), pre-sized, memory-mapped, little-endian
 *   header (64 B)  magic "STBJRNL1" | version 1 | segment size | first sequence | created ms |
 *                  CRC32C of the 32 bytes before it
 *   records, 8-byte aligned, from offset 64:
 *     int   length   = 32 + payload length; 0 = nothing yet; -1 = rest of segment unused
 *     int   crc32c   over length, sequence, epoch, timestamp, payload
 *     long  sequence
 *     long  epoch
 *     long  timestamp (microseconds since the epoch)
 *     byte[] payload, then zero padding to 8 (covered by the CRC)
 * </pre>
 *
 * The writer fills a record, then stores its length last with release semantics: a reader that sees
 * a length sees the whole record, and a crash mid-write leaves length 0 followed by bytes that are
 * not zero, which recovery reports as a torn record.
 */
final class Segments {

  static final long MAGIC = 0x314C4E524A425453L; // "STBJRNL1" little-endian
  static final int VERSION = 1;
  static final int HEADER = 64;
  static final int RECORD_HEADER = 32;
  static final int PADDING = -1;
  static final String SUFFIX = ".seg";

  private Segments() {}

  static int align8(int size) {
    return (size + 7) & ~7;
  }

  static Path path(Path directory, long firstSequence) {
    return directory.resolve(String.format("%020d", firstSequence) + SUFFIX);
  }

  /** First sequences of the segment files in {@code directory}, ascending. */
  static List<Long> list(Path directory) throws IOException {
    List<Long> firsts = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return firsts;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() == 20 && digits.chars().allMatch(Character::isDigit)) {
          firsts.add(Long.parseLong(digits));
        }
      }
    }
    firsts.sort(null);
    return firsts;
  }

  static MappedByteBuffer map(Path file, boolean write) throws IOException {
    try (FileChannel channel =
        write
            ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer map =
          channel.map(
              write ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
              0,
              channel.size());
      map.order(ByteOrder.LITTLE_ENDIAN);
      return map;
    }
  }

  static void writeHeader(MappedByteBuffer map, int segmentSize, long firstSequence, long nowMs) {
    map.putLong(0, MAGIC);
    map.putInt(8, VERSION);
    map.putInt(12, segmentSize);
    map.putLong(16, firstSequence);
    map.putLong(24, nowMs);
    map.putInt(32, headerCrc(map));
  }

  /** Why the header is not a valid header of the segment starting at {@code firstSequence}. */
  static String checkHeader(MappedByteBuffer map, long firstSequence) {
    if (map.capacity() < HEADER) {
      return "the file is shorter than a segment header";
    }
    if (map.getLong(0) != MAGIC) {
      return map.getLong(0) == 0 ? "the header is not written yet" : "not a journal segment";
    }
    if (map.getInt(8) != VERSION) {
      return "unknown segment version " + map.getInt(8);
    }
    if (map.getInt(32) != headerCrc(map)) {
      return "the header checksum does not match";
    }
    if (map.getLong(16) != firstSequence) {
      return "the header says it starts at sequence "
          + map.getLong(16)
          + ", its name says "
          + firstSequence;
    }
    if (map.getInt(12) != map.capacity()) {
      return "the header says " + map.getInt(12) + " bytes, the file has " + map.capacity();
    }
    return null;
  }

  private static int headerCrc(MappedByteBuffer map) {
    CRC32C crc = new CRC32C();
    for (int i = 0; i < 32; i++) {
      crc.update(map.get(i));
    }
    return (int) crc.getValue();
  }

  /**
   * CRC32C of a record: its length, then bytes 8 to the end of its padding (so a changed padding
   * byte is caught too).
   */
  static int recordCrc(CRC32C crc, java.nio.ByteBuffer view, int position, int length) {
    crc.reset();
    crc.update(length);
    crc.update(length >>> 8);
    crc.update(length >>> 16);
    crc.update(length >>> 24);
    view.clear();
    view.position(position + 8).limit(position + align8(length));
    crc.update(view);
    return (int) crc.getValue();
  }
}
