package dev.stability.zookeeper;

import dev.stability.aeron.process.ChildJvm;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@link LeaseProcess} children printed, and the checks over it: in every epoch only one
 * process acknowledged; no process acknowledged after a process of a newer epoch was promoted
 * (monotonic times of one host); every acknowledged record is in the final journal exactly once, at
 * its sequence, in order.
 */
final class ProcessHistory {

  /** One acknowledgement: the lease was checked after {@code t}. */
  record Ack(String process, long epoch, long sequence, long t) {}

  private ProcessHistory() {}

  static List<Ack> acks(String name, ChildJvm child) {
    List<Ack> acks = new ArrayList<>();
    for (String line : child.lines()) {
      if (line.startsWith("acked ")) {
        String[] f = line.split(" ");
        acks.add(new Ack(name, Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
      }
    }
    return acks;
  }

  /** The fields of the first line starting with {@code word}, after it. */
  static Optional<long[]> first(ChildJvm child, String word) {
    for (String line : child.lines()) {
      if (line.startsWith(word + " ")) {
        String[] f = line.split(" ");
        long[] values = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
          try {
            values[i - 1] = Long.parseLong(f[i]);
          } catch (NumberFormatException e) {
            long[] shorter = new long[i - 1];
            System.arraycopy(values, 0, shorter, 0, i - 1);
            return Optional.of(shorter);
          }
        }
        return Optional.of(values);
      }
    }
    return Optional.empty();
  }

  /** One process per epoch. */
  static List<String> oneProcessPerEpoch(List<Ack> acks) {
    Map<Long, String> owner = new HashMap<>();
    List<String> violations = new ArrayList<>();
    for (Ack ack : acks) {
      String first = owner.putIfAbsent(ack.epoch(), ack.process());
      if (first != null && !first.equals(ack.process())) {
        violations.add(
            "epoch " + ack.epoch() + " acknowledged by " + first + " and " + ack.process());
      }
    }
    return violations;
  }

  /**
   * Every acknowledged record is in the journal in {@code directory} (read as it is on disk) at its
   * sequence with its epoch, the journal holds no payload twice, and the acknowledged sequences
   * grow with the epochs.
   */
  static List<String> inFinalJournal(List<Ack> acks, Path directory) {
    Map<Long, long[]> records = new HashMap<>(); // sequence -> record epoch, payload epoch, counter
    List<String> violations = new ArrayList<>();
    Set<String> payloads = new HashSet<>();
    try (StabilityRuntime runtime = TestRuntimes.quiet("checker").build();
        JournalReader reader = runtime.journals().reader(directory, 1)) {
      int read;
      do {
        read =
            reader.poll(
                (sequence, epoch, timestamp, payload) -> {
                  ByteBuffer bytes = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
                  long payloadEpoch = bytes.getLong(bytes.position());
                  long counter = bytes.getLong(bytes.position() + 8);
                  records.put(sequence, new long[] {epoch, payloadEpoch, counter});
                  if (!payloads.add(payloadEpoch + "/" + counter)) {
                    violations.add(
                        "record " + payloadEpoch + "/" + counter + " is in the journal twice");
                  }
                },
                1024);
      } while (read > 0);
    }
    long lastSequence = 0;
    long lastEpoch = 0;
    List<Ack> inOrder = new ArrayList<>(acks);
    inOrder.sort(java.util.Comparator.comparingLong(Ack::epoch).thenComparingLong(Ack::sequence));
    for (Ack ack : inOrder) {
      long[] record = records.get(ack.sequence());
      if (record == null || record[0] != ack.epoch() || record[1] != ack.epoch()) {
        violations.add(
            ack
                + " is not in the final journal (there: "
                + (record == null ? "nothing" : "epoch " + record[0] + ", from " + record[1])
                + ")");
      }
      if (ack.epoch() > lastEpoch && ack.sequence() <= lastSequence) {
        violations.add(ack + " comes before an acknowledgement of an older epoch");
      }
      lastSequence = Math.max(lastSequence, ack.sequence());
      lastEpoch = Math.max(lastEpoch, ack.epoch());
    }
    return violations;
  }
}
