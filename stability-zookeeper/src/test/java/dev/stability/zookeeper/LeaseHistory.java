package dev.stability.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A history of acknowledgements, each taken only after the participant's lease said it was held,
 * with monotonic timestamps taken just before and just after that check, and a checker for the one
 * property that matters: in every epoch only one participant acknowledged, and every
 * acknowledgement of an older epoch happened before any of a newer one (no two holders' intervals
 * overlap, epochs only grow over time).
 */
final class LeaseHistory {

  /** One acknowledgement: the lease was held at an instant in [before, after]. */
  record Ack(String participant, long epoch, long before, long after) {}

  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();

  /**
   * Checks the lease and records an acknowledgement if it is held.
   *
   * @return whether it was held
   */
  boolean acknowledge(ZooKeeperRoleLease lease) {
    long before = System.nanoTime();
    boolean held = lease.held();
    long after = System.nanoTime();
    if (held) {
      acks.add(new Ack(lease.participant(), lease.epoch(), before, after));
    }
    return held;
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** The held interval of every epoch, in epoch order: [first before, last after]. */
  List<long[]> intervals() {
    return new ArrayList<>(byEpoch().values());
  }

  private Map<Long, long[]> byEpoch() {
    Map<Long, long[]> spans = new TreeMap<>();
    for (Ack ack : acks) {
      spans.merge(
          ack.epoch(),
          new long[] {ack.epoch(), ack.before(), ack.after()},
          (a, b) -> new long[] {a[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])});
    }
    return spans;
  }

  /**
   * The violations, empty if the history is linear: one participant per epoch, and the epochs'
   * intervals in epoch order with no overlap.
   */
  List<String> violations() {
    List<String> violations = new ArrayList<>();
    Map<Long, String> owner = new TreeMap<>();
    for (Ack ack : acks) {
      String first = owner.putIfAbsent(ack.epoch(), ack.participant());
      if (first != null && !first.equals(ack.participant())) {
        violations.add(
            "epoch " + ack.epoch() + " acknowledged by " + first + " and " + ack.participant());
      }
    }
    long[] previous = null;
    for (long[] span : byEpoch().values()) {
      if (previous != null && previous[2] >= span[1]) {
        violations.add(
            "epoch "
                + previous[0]
                + " ("
                + owner.get(previous[0])
                + ") acknowledged until "
                + (previous[2] - span[1]) / 1_000
                + " us after epoch "
                + span[0]
                + " ("
                + owner.get(span[0])
                + ") had begun");
      }
      previous = span;
    }
    return violations;
  }
}
