package dev.stability.core.operations.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.operations.OperationLog.Problem;
import dev.stability.core.operations.OperationLog.Verification;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Walks an operation log and names the first record that breaks the chain: unreadable, out of
 * sequence (removed or reordered), pointing at the wrong predecessor, or altered. The first record
 * of the oldest remaining file anchors the chain (older files may have been deleted after the
 * retention period).
 */
final class ChainVerifier {

  private ChainVerifier() {}

  static Verification verify(List<Path> files, Collection<LogRecord> memory) {
    State state = new State();
    // A chain that does not start at op_seq 1 is only legitimate when older files were deleted
    // after the retention period, which the log itself records.
    state.purged = memory == null && anyPurge(files);
    if (memory != null) {
      long line = 0;
      for (LogRecord record : memory) {
        Optional<String> problem = state.check(record);
        line++;
        if (problem.isPresent()) {
          return new Verification(
              state.records,
              0,
              Optional.of(new Problem(null, line, state.seqOf(record), problem.get())));
        }
      }
      return new Verification(state.records, 0, Optional.empty());
    }
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        long line = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
          line++;
          LogRecord record;
          try {
            record = LogRecordFormat.parse(text);
          } catch (IllegalArgumentException e) {
            return new Verification(
                state.records,
                files.size(),
                Optional.of(
                    new Problem(
                        file,
                        line,
                        -1,
                        "the line is not a valid record (altered or damaged): " + e.getMessage())));
          }
          Optional<String> problem = state.check(record);
          if (problem.isPresent()) {
            return new Verification(
                state.records,
                files.size(),
                Optional.of(new Problem(file, line, state.seqOf(record), problem.get())));
          }
        }
      } catch (IOException e) {
        return new Verification(
            state.records,
            files.size(),
            Optional.of(new Problem(file, 0, -1, "the file cannot be read: " + e)));
      }
    }
    return new Verification(state.records, files.size(), Optional.empty());
  }

  private static boolean anyPurge(List<Path> files) {
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
          if (text.contains("\"action\":\"operation-log.purge\"")) {
            return true;
          }
        }
      } catch (IOException e) {
        return false; // the chain walk reports the unreadable file
      }
    }
    return false;
  }

  private static final class State {
    boolean purged;
    long records;
    long lastSeq = -1;
    String lastHash;

    long seqOf(LogRecord record) {
      try {
        return Long.parseLong(record.attrs().get("op_seq"));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    Optional<String> check(LogRecord record) {
      String seqText = record.attrs().get("op_seq");
      String prev = record.attrs().get("prev_hash");
      String hash = record.attrs().get("hash");
      if (seqText == null || prev == null || hash == null) {
        return Optional.of(
            "the record lacks op_seq, prev_hash or hash: it was not written by the operation log");
      }
      long seq = seqOf(record);
      if (seq < 1) {
        return Optional.of("op_seq '" + seqText + "' is not a positive number: altered");
      }
      if (lastSeq >= 0 && seq != lastSeq + 1) {
        return Optional.of(
            "expected op_seq "
                + (lastSeq + 1)
                + " after "
                + lastSeq
                + ", found "
                + seq
                + ": "
                + (seq > lastSeq + 1
                    ? "records " + (lastSeq + 1) + ".." + (seq - 1) + " were removed or moved"
                    : "records were reordered or duplicated"));
      }
      if (lastSeq < 0 && seq == 1 && !OperationLogFile.GENESIS.equals(prev)) {
        return Optional.of("the first record must chain from the genesis hash: altered");
      }
      if (lastSeq < 0 && seq > 1 && !purged) {
        return Optional.of(
            "the log starts at op_seq "
                + seq
                + " but no older file was deleted after retention: records 1.."
                + (seq - 1)
                + " were removed or moved");
      }
      if (lastHash != null && !lastHash.equals(prev)) {
        return Optional.of(
            "prev_hash does not match the hash of op_seq "
                + lastSeq
                + ": that record was altered, or records were removed or reordered");
      }
      LogRecord withoutHash = record.toBuilder().attr("hash", null).build();
      String expected = OperationLogFile.hash(prev, LogRecordFormat.toJson(withoutHash));
      if (!expected.equals(hash)) {
        return Optional.of("the hash does not match the record's content: the record was altered");
      }
      records++;
      lastSeq = seq;
      lastHash = hash;
      return Optional.empty();
    }
  }
}
