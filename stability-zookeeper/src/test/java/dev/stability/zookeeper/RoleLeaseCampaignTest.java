package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.LeasedJournal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A randomized campaign of faults against three participants contending for one role on a real
 * 3-node ensemble, each on its own session through its own TCP forwarders: the holder is cut off
 * the ensemble, paused (its input thread stops between an append and the acknowledgement while its
 * network is cut, as a stopped JVM would), killed (its thread stopped, its session closed, then
 * restarted) or has its session expire; in between the others take the role. Participants write to
 * one journal (the replicated journal as one file: the epoch fence stands for the standbys' refusal
 * of older epochs) through a {@link LeasedJournal} and acknowledge a record only if their lease is
 * still held. The checker: in every epoch at most one participant acknowledged; no acknowledgement
 * of an older epoch happened after one of a newer epoch (monotonic times around the checks); every
 * acknowledged record is in the final journal exactly once, at its sequence, in order.
 *
 * <p>Seeded: {@code -Dcampaign.seed=N} replays a campaign (the seed is printed and in every
 * failure); {@code -Dcampaign.faults=N} (default 50).
 */
class RoleLeaseCampaignTest {

  private static final Duration SESSION = Duration.ofMillis(800);

  @TempDir Path dir;
  private TestingCluster cluster;
  private StabilityRuntime runtime;
  private Journal journal;
  private final List<Member> members = new ArrayList<>();
  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  /** One acknowledgement: the lease was held at an instant in [before, after]. */
  record Ack(String participant, long epoch, long sequence, long id, long before, long after) {}

  @BeforeEach
  void start() throws Exception {
    cluster = Ensembles.cluster(3);
    runtime = TestRuntimes.quiet("campaign").build();
    journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("orders"))
                    .flush(FlushPolicy.os())
                    .build());
  }

  @AfterEach
  void stop() throws Exception {
    for (Member member : members) {
      member.kill();
      for (PartitionProxy proxy : member.proxies) {
        proxy.close();
      }
    }
    runtime.close();
    cluster.close();
  }

  @Test
  void underFiftyRandomFaultsEveryEpochHasOneWriterAndEveryAcknowledgedRecordIsKept()
      throws Exception {
    long seed = Long.getLong("campaign.seed", System.nanoTime());
    int faults = Integer.getInteger("campaign.faults", 50);
    System.out.println("role lease campaign: seed " + seed + ", " + faults + " faults");
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 3; i++) {
      Member member = new Member("p" + i);
      members.add(member);
      member.start();
    }
    List<String> log = new ArrayList<>();
    Map<String, Integer> kinds = new TreeMap<>();
    long began = System.nanoTime();
    for (int fault = 0; fault < faults; fault++) {
      int before = acks.size();
      await("input acknowledged again before fault " + fault + " (seed " + seed + ")")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> acks.size() > before + 5 || !failures.isEmpty());
      assertThat(failures).as("seed " + seed).isEmpty();
      Member target =
          members.stream()
              .filter(m -> m.holds())
              .findFirst()
              .orElse(members.get(random.nextInt(members.size())));
      int kind = random.nextInt(100);
      long millis;
      String what;
      if (kind < 30) {
        millis = 300 + random.nextInt(1_500);
        what = "cut off " + millis + " ms";
        target.proxies.forEach(PartitionProxy::partition);
        Thread.sleep(millis);
        target.proxies.forEach(PartitionProxy::heal);
      } else if (kind < 55) {
        millis = 300 + random.nextInt(1_500);
        what = "paused " + millis + " ms";
        target.proxies.forEach(PartitionProxy::partition);
        target.pause(millis);
        Thread.sleep(millis);
        target.proxies.forEach(PartitionProxy::heal);
      } else if (kind < 75) {
        millis = random.nextInt(500);
        what = "killed, restarted after " + millis + " ms";
        target.kill();
        Thread.sleep(millis);
        target.start();
      } else {
        what = "session expired";
        target.expireSession();
      }
      kinds.merge(what.substring(0, what.indexOf(' ')).replace(",", ""), 1, Integer::sum);
      log.add(
          fault
              + ": "
              + target.name
              + (target.holds() ? " (holder)" : "")
              + " "
              + what
              + " at "
              + (System.nanoTime() - began) / 1_000_000
              + " ms");
      Thread.sleep(random.nextInt(300));
    }
    int before = acks.size();
    await("input acknowledged after the last fault (seed " + seed + ")")
        .atMost(Duration.ofSeconds(60))
        .until(() -> acks.size() > before + 5 || !failures.isEmpty());
    for (Member member : members) {
      member.kill();
    }

    String context = "seed " + seed + "; faults: " + String.join("; ", log);
    assertThat(failures).as(context).isEmpty();
    List<Ack> history = List.copyOf(acks);
    assertThat(violations(history)).as(context).isEmpty();
    long epochs = history.stream().mapToLong(Ack::epoch).distinct().count();
    assertThat(epochs).as("grants that acknowledged input; " + context).isGreaterThan(faults / 4);
    System.out.printf(
        "role lease campaign: seed %d, %d faults %s in %d s, %d epochs acknowledged input, %d"
            + " acknowledgements, %d records in the journal%n",
        seed,
        faults,
        kinds,
        (System.nanoTime() - began) / 1_000_000_000,
        epochs,
        history.size(),
        journal.lastSequence());
  }

  /** Everything the checker finds wrong with the history and the final journal. */
  private List<String> violations(List<Ack> history) {
    List<String> violations = new ArrayList<>();
    Map<Long, String> owner = new HashMap<>();
    Map<Long, long[]> spans = new TreeMap<>(); // epoch -> latest before, earliest after
    for (Ack ack : history) {
      String first = owner.putIfAbsent(ack.epoch(), ack.participant());
      if (first != null && !first.equals(ack.participant())) {
        violations.add(
            "epoch " + ack.epoch() + " acknowledged by " + first + " and " + ack.participant());
      }
      spans.merge(
          ack.epoch(),
          new long[] {ack.before(), ack.after()},
          (a, b) -> new long[] {Math.max(a[0], b[0]), Math.min(a[1], b[1])});
    }
    // An acknowledgement's check happened in [before, after]: if an older epoch's check began
    // after a newer epoch's check had ended, the older holder acknowledged after the newer one.
    long newestEnd = Long.MAX_VALUE;
    long newestEpoch = 0;
    List<Long> epochs = new ArrayList<>(spans.keySet());
    for (int i = epochs.size() - 1; i >= 0; i--) {
      long[] span = spans.get(epochs.get(i));
      if (span[0] > newestEnd) {
        violations.add(
            "epoch "
                + epochs.get(i)
                + " ("
                + owner.get(epochs.get(i))
                + ") acknowledged "
                + (span[0] - newestEnd) / 1_000
                + " us after epoch "
                + newestEpoch
                + " ("
                + owner.get(newestEpoch)
                + ") had");
      }
      if (span[1] < newestEnd) {
        newestEnd = span[1];
        newestEpoch = epochs.get(i);
      }
    }
    // every acknowledged record is in the journal once, at its sequence, with its epoch
    Map<Long, long[]> records = new HashMap<>();
    Map<Long, Integer> copies = new HashMap<>();
    try (JournalReader reader = journal.reader(1)) {
      while (reader.poll(
              (sequence, epoch, timestamp, payload) -> {
                ByteBuffer bytes = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
                long id = bytes.getLong(bytes.position() + 8);
                records.put(sequence, new long[] {epoch, id});
                copies.merge(id, 1, Integer::sum);
              },
              1024)
          > 0) {
        // read on
      }
    }
    long lastSequence = 0;
    List<Ack> ordered = new ArrayList<>(history);
    ordered.sort(java.util.Comparator.comparingLong(Ack::epoch).thenComparingLong(Ack::sequence));
    for (Ack ack : ordered) {
      long[] record = records.get(ack.sequence());
      if (record == null || record[0] != ack.epoch() || record[1] != ack.id()) {
        violations.add(ack + " is not in the journal at its sequence");
      } else if (copies.get(ack.id()) != 1) {
        violations.add(ack + " is in the journal " + copies.get(ack.id()) + " times");
      }
      if (ack.sequence() <= lastSequence) {
        violations.add(ack + " is not after the acknowledgements of older epochs");
      }
      lastSequence = ack.sequence();
    }
    return violations;
  }

  /** One participant: acquires the role, then serves input until it does not hold it. */
  private final class Member {
    final String name;
    final List<PartitionProxy> proxies = new ArrayList<>();
    private volatile ZooKeeperConnection connection;
    private volatile ZooKeeperRoleLease lease;
    private volatile boolean alive;
    private volatile long pauseMillis;
    private Thread thread;

    Member(String name) throws Exception {
      this.name = name;
      for (InstanceSpec spec : cluster.getInstances()) {
        proxies.add(new PartitionProxy(spec.getPort()));
      }
    }

    void start() throws Exception {
      connection =
          ZooKeeperConnection.start(
              ZooKeeperSettings.builder(
                      proxies.stream()
                          .map(p -> "127.0.0.1:" + p.port())
                          .collect(Collectors.joining(",")))
                  .sessionTimeout(SESSION)
                  .build());
      lease = ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", name));
      alive = true;
      thread = new Thread(this::run, "member-" + name);
      thread.start();
    }

    boolean holds() {
      ZooKeeperRoleLease current = lease;
      return alive && current != null && current.held();
    }

    /** Its input thread stops for this long after its next append, before the acknowledgement. */
    void pause(long millis) {
      pauseMillis = millis;
    }

    /** The session ends as ZooKeeper's client sees an expiry (the ensemble ends it later). */
    void expireSession() throws Exception {
      connection
          .curator()
          .getZookeeperClient()
          .getZooKeeper()
          .getTestable()
          .injectSessionExpiration();
    }

    /** Stops its thread (nothing more happens in a killed process), then closes its session. */
    void kill() throws InterruptedException {
      if (!alive) {
        return;
      }
      alive = false;
      thread.interrupt();
      thread.join(Duration.ofSeconds(10).toMillis());
      assertThat(thread.isAlive()).as(name + " stopped").isFalse();
      connection.close(); // not released: the session closes with the connection
      lease.close();
    }

    private void run() {
      ZooKeeperRoleLease mine = lease;
      LeasedJournal input = LeasedJournal.of(journal, mine);
      ByteBuffer payload = ByteBuffer.allocate(16);
      try {
        while (alive) {
          OptionalLong granted = mine.acquire(journal.epoch(), Duration.ofMillis(300));
          if (granted.isEmpty()) {
            continue;
          }
          long epoch = granted.getAsLong();
          try {
            journal.fence(epoch);
          } catch (IllegalArgumentException e) {
            mine.release(); // a newer grant fenced first: this one is over already
            continue;
          }
          while (alive) {
            long id = ids.incrementAndGet();
            payload.clear();
            payload.putLong(epoch).putLong(id).flip();
            long sequence;
            try {
              sequence = input.append(epoch, payload);
            } catch (RoleNotHeldException | EpochFencedException e) {
              break;
            }
            long pause = pauseMillis;
            if (pause > 0) {
              pauseMillis = 0;
              Thread.sleep(pause);
            }
            long before = System.nanoTime();
            boolean held = mine.held();
            long after = System.nanoTime();
            if (!held) {
              break;
            }
            acks.add(new Ack(name, epoch, sequence, id, before, after));
            Thread.sleep(1);
          }
          mine.release(); // fenced while held, or not held: either way this grant is over
        }
      } catch (InterruptedException e) {
        // killed
      } catch (Throwable e) {
        if (alive) {
          failures.add(e);
        }
      }
    }
  }
}
