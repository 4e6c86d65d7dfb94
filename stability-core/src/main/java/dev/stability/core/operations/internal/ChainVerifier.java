package dev.stability.core.operations.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.operations.OperationLog.Problem;
import dev.stability.core.operations.OperationLog.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks an operation log and names the first record that breaks the chain: unreadable, out of
 * sequence (removed or reordered), pointing at the wrong predecessor, or altered. A log that does
 * not start at op_seq 1 is accepted only if a purge record of the SDK names the last sequence and
 * hash of the deleted files, and the first remaining record chains from exactly those.
 */
final class ChainVerifier {

  private ChainVerifier() {}

  /** Lines of a rolled file. */
  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Verification verifyRecords(List<LogRecord> records, boolean trimmed, ChainHash chain) {
    State state = new State(chain, new HashMap<>(), trimmed);
    long line = 0;
    for (LogRecord record : records) {
      line++;
      Optional<String> problem = state.check(record);
      if (problem.isPresent()) {
        return new Verification(
            state.records,
            0,
            Optional.of(new Problem(null, line, state.seqOf(record), problem.get())));
      }
    }
    return new Verification(state.records, 0, Optional.empty());
  }

  static Verification verifyFiles(
      List<Path> rolled, Path active, List<String> activeLines, ChainHash chain) {
    List<Path> files = new ArrayList<>(rolled);
    files.add(active);
    Map<Long, String> anchors = new HashMap<>();
    // First pass: the SDK's purge records tell where deleted files ended.
    for (int f = 0; f < files.size(); f++) {
      List<String> lines;
      try {
        lines = f < rolled.size() ? lines(files.get(f)) : activeLines;
      } catch (UncheckedIOException e) {
        continue; // the walk below reports the unreadable file
      }
      for (String text : lines) {
        if (text.contains(OperationLogFile.PURGE_ACTION)) {
          try {
            LogRecord record = LogRecordFormat.parse(text);
            Map<String, String> attrs = record.attrs();
            if (OperationLogFile.PURGE_ACTION.equals(attrs.get("action"))
                && OperationLogFile.SDK_OPERATOR.equals(
                    record.text(dev.stability.api.event.LogField.OPERATOR))
                && attrs.containsKey("purged_last_seq")) {
              anchors.put(
                  Long.parseLong(attrs.get("purged_last_seq")), attrs.get("purged_last_hash"));
            }
          } catch (RuntimeException e) {
            // A damaged purge record is named by the walk below.
          }
        }
      }
    }
    State state = new State(chain, anchors, false);
    int checkedFiles = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      List<String> lines;
      try {
        lines = f < rolled.size() ? lines(file) : activeLines;
      } catch (UncheckedIOException e) {
        return new Verification(
            state.records,
            checkedFiles,
            Optional.of(new Problem(file, 0, -1, "the file cannot be read: " + e.getCause())));
      }
      checkedFiles++;
      long line = 0;
      for (String text : lines) {
        line++;
        LogRecord record;
        try {
          record = LogRecordFormat.parse(text);
        } catch (IllegalArgumentException e) {
          return new Verification(
              state.records,
              checkedFiles,
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
              checkedFiles,
              Optional.of(new Problem(file, line, state.seqOf(record), problem.get())));
        }
      }
    }
    return new Verification(state.records, checkedFiles, Optional.empty());
  }

  /**
   * Checks that {@code record} continues a chain whose head is ({@code lastSeq}, {@code lastHash});
   * with {@code lastSeq} 0 the chain is empty and may start anywhere (a replica of a log whose
   * oldest files were purged). Returns what is wrong, if anything.
   */
  static Optional<String> checkNext(
      ChainHash chain, long lastSeq, String lastHash, LogRecord record) {
    State state = new State(chain, Map.of(), lastSeq == 0);
    if (lastSeq > 0) {
      state.lastSeq = lastSeq;
      state.lastHash = lastHash;
    }
    return state.check(record);
  }

  private static final class State {
    final ChainHash chain;
    final Map<Long, String> anchors;
    final boolean anyStartAllowed;
    long records;
    long lastSeq = -1;
    String lastHash;

    State(ChainHash chain, Map<Long, String> anchors, boolean anyStartAllowed) {
      this.chain = chain;
      this.anchors = anchors;
      this.anyStartAllowed = anyStartAllowed;
    }

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
      if (lastSeq < 0) {
        Optional<String> start = checkStart(seq, prev);
        if (start.isPresent()) {
          return start;
        }
      } else if (seq != lastSeq + 1) {
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
      } else if (!lastHash.equals(prev)) {
        return Optional.of(
            "prev_hash does not match the hash of op_seq "
                + lastSeq
                + ": that record was altered, or records were removed or reordered");
      }
      LogRecord withoutHash = record.toBuilder().attr("hash", null).build();
      if (!chain.link(prev, LogRecordFormat.toJson(withoutHash)).equals(hash)) {
        return Optional.of("the hash does not match the record's content: the record was altered");
      }
      records++;
      lastSeq = seq;
      lastHash = hash;
      return Optional.empty();
    }

    private Optional<String> checkStart(long seq, String prev) {
      if (seq == 1) {
        return OperationLogFile.GENESIS.equals(prev)
            ? Optional.empty()
            : Optional.of("the first record must chain from the genesis hash: altered");
      }
      if (anyStartAllowed) {
        return Optional.empty();
      }
      String anchor = anchors.get(seq - 1);
      if (anchor == null) {
        return Optional.of(
            "the log starts at op_seq "
                + seq
                + " but no purge record of the SDK accounts for records 1.."
                + (seq - 1)
                + ": they were removed or moved");
      }
      if (!anchor.equals(prev)) {
        return Optional.of(
            "prev_hash does not match the hash the purge record kept for op_seq "
                + (seq - 1)
                + ": the first remaining record was altered or replaced");
      }
      return Optional.empty();
    }
  }
}
