package dev.stability.zookeeper;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The primary role of one system as a lease on ZooKeeper (R9, R18). Opened with {@link
 * #open(StabilityRuntime, ZooKeeperConnection, RoleLeaseSettings)}; thread-safe; {@link #held()}
 * reads two volatile fields and the monotonic clock (no allocation, no lock, no I/O).
 *
 * <p><b>Nodes.</b> Under {@code <root>/leases/<system>}: {@code epoch}, persistent, the last epoch
 * issued (decimal text); {@code holder}, ephemeral, {@code "<epoch> <participant>"}. A grant is one
 * ZooKeeper transaction: create {@code holder} and set {@code epoch} to the next value <em>with the
 * version read</em>. The ensemble applies it atomically or not at all, so there is at most one
 * holder, and every grant gets an epoch greater than every earlier one, across restarts of the
 * ensemble and of every participant (the epoch node is persistent and only ever compare-and-set
 * upwards).
 *
 * <p><b>Timing: why a holder stops before anyone else can win.</b> Another participant can only be
 * granted the role once the {@code holder} node is gone, that is once the holder released it or the
 * ensemble expired the holder's session. ZooKeeper expires a session no earlier than the granted
 * session timeout {@code T} after it last heard from the client. The holder sends a heartbeat every
 * {@code h} (a transaction of two version checks, on {@code epoch} and {@code holder}, which goes
 * through the ensemble's leader), noting on the monotonic clock ({@link System#nanoTime()}) the
 * instant {@code s} <em>before</em> sending it. An answer proves that, at some instant after {@code
 * s}, the session was alive and nobody else had been granted the role; so nobody else can be
 * granted it before {@code s + T}. The holder says it holds the role only until {@code s + T - m}
 * ({@code m}: the margin), computed from the clock at each call of {@link #held()}, so the promise
 * holds even if none of the holder's threads runs at the deadline (a paused JVM finds, when it
 * resumes, that it no longer holds the role). Lost connections ({@code SUSPENDED}) do not end the
 * lease early (a server of the ensemble may die and the client move to another within the session),
 * but no answer can extend it then; a lost session ({@code LOST}), a failed check (a node gone,
 * another grant) or the deadline end it at once and for good: the next grant has a new epoch.
 *
 * <p>The margin {@code m} (default 40 % of {@code T}) must cover what the argument leaves out: the
 * leader learns of the client's activity through its followers, which report to it every half
 * {@code tickTime}, so its view of "last heard" may be that much and one heartbeat older; the rates
 * of the holder's and the servers' clocks differ (parts per million, times {@code T}); and the
 * holder's own time from checking {@link #held()} to sending an acknowledgement. Choose {@code m >=
 * h + tickTime + the acknowledgement path's worst pause}. What remains beyond the margin (a JVM
 * paused for longer between the check and the send) is what the epoch fences: every record carries
 * the holder's epoch, and the journal, the standbys and the clients refuse older ones.
 *
 * <p>Events: {@code ROLE_LEASE_ACQUIRED}, {@code ROLE_LEASE_AT_RISK}, {@code ROLE_LEASE_LOST},
 * {@code ROLE_LEASE_RELEASED}; metrics {@code stability.lease.held} and {@code
 * stability.lease.epoch}. Listeners and events run on the lease's own thread.
 */
public final class ZooKeeperRoleLease implements RoleLease {

  private final StabilityRuntime runtime;
  private final ZooKeeperConnection connection;
  private final RoleLeaseSettings settings;
  private final CuratorFramework curator;
  private final String epochPath;
  private final String holderPath;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker;
  private final ScheduledExecutorService heartbeats;
  private final SdkMeters meters;
  private final ConnectionStateListener connectionListener = this::connectionChanged;
  private final Object acquiring = new Object();
  private volatile Grant grant;
  private volatile long lastEpoch;
  private volatile boolean closed;

  private ZooKeeperRoleLease(
      StabilityRuntime runtime, ZooKeeperConnection connection, RoleLeaseSettings settings) {
    this.runtime = runtime;
    this.connection = connection;
    this.settings = settings;
    this.curator = connection.curator();
    this.epochPath = connection.path("leases", settings.system(), "epoch");
    this.holderPath = connection.path("leases", settings.system(), "holder");
    this.worker = Executors.newSingleThreadScheduledExecutor(daemon("lease-" + settings.system()));
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(daemon("lease-heartbeat-" + settings.system()));
    this.meters = new SdkMeters(runtime.meterRegistry(), runtime.identity());
    // Tagged by participant too: a drill runs primary and standby in one runtime.
    meters.gauge(
        StabilityMetric.LEASE_HELD,
        this,
        l -> l.held() ? 1 : 0,
        "lease",
        settings.system(),
        "participant",
        settings.participant());
    meters.gauge(
        StabilityMetric.LEASE_EPOCH,
        this,
        l -> l.lastEpoch,
        "lease",
        settings.system(),
        "participant",
        settings.participant());
    curator.getConnectionStateListenable().addListener(connectionListener);
  }

  /**
   * Opens the lease of {@code settings.system()}'s primary role for {@code settings.participant()}
   * on {@code connection}; nothing is taken until {@link #acquire(long, Duration)}.
   */
  public static ZooKeeperRoleLease open(
      StabilityRuntime runtime, ZooKeeperConnection connection, RoleLeaseSettings settings) {
    return new ZooKeeperRoleLease(runtime, connection, settings);
  }

  @Override
  public String participant() {
    return settings.participant();
  }

  @Override
  public OptionalLong acquire(long above, Duration timeout) throws InterruptedException {
    synchronized (acquiring) {
      if (closed) {
        throw new IllegalStateException("lease " + settings.system() + " is closed");
      }
      if (held()) {
        throw new IllegalStateException(
            "lease "
                + settings.system()
                + ": "
                + settings.participant()
                + " holds the role already (epoch "
                + grant.epoch
                + ")");
      }
      long end = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          OptionalLong granted = tryAcquire(above, end);
          if (granted != null) {
            return granted;
          }
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
          // Another grant came between the read and the transaction, or a holder just left.
        } catch (InterruptedException e) {
          throw e;
        } catch (IllegalStateException e) {
          throw e;
        } catch (Exception e) {
          // The ensemble did not answer within the connection's retries: try again until the end.
          if (System.nanoTime() - end >= 0) {
            return OptionalLong.empty();
          }
          Thread.sleep(50);
        }
        if (System.nanoTime() - end >= 0) {
          return OptionalLong.empty();
        }
      }
    }
  }

  /** One attempt: the epoch granted, empty when the time is up, null to try again. */
  private OptionalLong tryAcquire(long above, long end) throws Exception {
    ensureEpochNode();
    Stat stat = new Stat();
    long issued = parseEpoch(curator.getData().storingStatIn(stat).forPath(epochPath));
    long next = Math.max(Math.max(issued, above), lastEpoch) + 1;
    long sessionId = curator.getZookeeperClient().getZooKeeper().getSessionId();
    Duration session =
        Duration.ofMillis(curator.getZookeeperClient().getZooKeeper().getSessionTimeout());
    Optional<String> unfit = settings.checkAgainst(session);
    if (unfit.isPresent()) {
      throw new IllegalStateException("lease " + settings.system() + ": " + unfit.get());
    }
    long sent = System.nanoTime();
    try {
      curator
          .transaction()
          .forOperations(
              curator
                  .transactionOp()
                  .create()
                  .withMode(CreateMode.EPHEMERAL)
                  .forPath(holderPath, holderData(next)),
              curator
                  .transactionOp()
                  .setData()
                  .withVersion(stat.getVersion())
                  .forPath(epochPath, Long.toString(next).getBytes(StandardCharsets.UTF_8)));
      return OptionalLong.of(granted(next, stat.getVersion() + 1, sessionId, session, sent));
    } catch (KeeperException.NodeExistsException e) {
      Stat held = new Stat();
      CountDownLatch changed = new CountDownLatch(1);
      byte[] data;
      try {
        data =
            curator
                .getData()
                .storingStatIn(held)
                .usingWatcher((org.apache.zookeeper.Watcher) event -> changed.countDown())
                .forPath(holderPath);
      } catch (KeeperException.NoNodeException gone) {
        return null;
      }
      if (held.getEphemeralOwner() == sessionId) {
        Optional<Holder> mine = parseHolder(data);
        if (mine.isPresent()
            && mine.get().epoch() == next
            && mine.get().participant().equals(settings.participant())) {
          // The transaction went through and only its answer was lost; a retry met its own node.
          return OptionalLong.of(granted(next, stat.getVersion() + 1, sessionId, session, sent));
        }
        // A node of an earlier grant of this session, not yet removed: only this session can
        // remove it, and its grant is over.
        curator.delete().withVersion(held.getVersion()).forPath(holderPath);
        return null;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return OptionalLong.empty();
      }
      changed.await(left, TimeUnit.NANOSECONDS);
      return null;
    }
  }

  private void ensureEpochNode() throws Exception {
    if (curator.checkExists().forPath(epochPath) == null) {
      try {
        curator
            .create()
            .creatingParentsIfNeeded()
            .forPath(epochPath, "0".getBytes(StandardCharsets.UTF_8));
      } catch (KeeperException.NodeExistsException e) {
        // another participant created it first
      }
    }
  }

  private long granted(long epoch, int epochVersion, long sessionId, Duration session, long sent) {
    Duration margin = settings.marginFor(session);
    Duration heartbeat = settings.heartbeatFor(session);
    Grant g =
        new Grant(
            epoch, epochVersion, sessionId, session.toNanos() - margin.toNanos(), heartbeat, sent);
    lastEpoch = epoch;
    grant = g;
    schedule(heartbeats, () -> beat(g, true), heartbeat.toNanos());
    schedule(worker, () -> watchDeadline(g), g.deadline - System.nanoTime());
    schedule(
        worker,
        () -> {
          runtime
              .events()
              .publish(
                  LogRecord.builder(StabilityEventCode.ROLE_LEASE_ACQUIRED)
                      .epoch(epoch)
                      .message(
                          settings.participant()
                              + " holds the primary role of "
                              + settings.system()
                              + " at epoch "
                              + epoch
                              + " (session "
                              + session.toMillis()
                              + " ms, margin "
                              + margin.toMillis()
                              + " ms, heartbeat "
                              + heartbeat.toMillis()
                              + " ms)")
                      .attr("lease", settings.system())
                      .attr("participant", settings.participant())
                      .attr("session_ms", session.toMillis())
                      .attr("margin_ms", margin.toMillis()));
          for (Listener listener : listeners) {
            listener.acquired(epoch);
          }
        },
        0);
    return epoch;
  }

  /** One heartbeat: proves the session and the hold, or ends the grant when it cannot be. */
  private void beat(Grant g, boolean reschedule) {
    if (g.over.get() || closed) {
      return;
    }
    long sent = System.nanoTime();
    try {
      curator
          .transaction()
          .forOperations(
              curator.transactionOp().check().withVersion(g.epochVersion).forPath(epochPath),
              curator.transactionOp().check().withVersion(0).forPath(holderPath));
      if (curator.getZookeeperClient().getZooKeeper().getSessionId() != g.sessionId) {
        lose(g, "the ZooKeeper session was replaced (the old one expired)");
        return;
      }
      g.proven(sent);
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      lose(g, "the holder node is gone or another participant was granted the role");
      return;
    } catch (KeeperException.SessionExpiredException e) {
      lose(g, "the ZooKeeper session expired");
      return;
    } catch (Exception e) {
      // No answer: the deadline decides.
    }
    if (reschedule && !g.over.get()) {
      schedule(heartbeats, () -> beat(g, true), g.heartbeat.toNanos());
    }
  }

  private void watchDeadline(Grant g) {
    if (g.over.get()) {
      return;
    }
    long left = g.deadline - System.nanoTime();
    if (left > 0) {
      schedule(worker, () -> watchDeadline(g), left);
      return;
    }
    lose(
        g,
        "no heartbeat was answered in time: the deadline (session timeout minus the margin after"
            + " the last answered heartbeat was sent) passed");
  }

  private void connectionChanged(CuratorFramework client, ConnectionState state) {
    Grant g = grant;
    switch (state) {
      case SUSPENDED -> {
        if (g != null && g.held()) {
          long left = Math.max(0, (g.deadline - System.nanoTime()) / 1_000_000);
          schedule(
              worker,
              () ->
                  runtime
                      .events()
                      .publish(
                          LogRecord.builder(StabilityEventCode.ROLE_LEASE_AT_RISK)
                              .epoch(g.epoch)
                              .message(
                                  "lost the connection to ZooKeeper while holding "
                                      + settings.system()
                                      + "; the role is held at most "
                                      + left
                                      + " ms more unless a heartbeat is answered")
                              .attr("lease", settings.system())
                              .attr("participant", settings.participant())
                              .attr("remaining_ms", left)),
              0);
        }
      }
      case LOST -> {
        if (g != null) {
          lose(g, "the ZooKeeper session was lost");
        }
      }
      case RECONNECTED -> {
        if (g != null && !g.over.get()) {
          schedule(heartbeats, () -> beat(g, false), 0);
        }
      }
      default -> {}
    }
  }

  private void lose(Grant g, String reason) {
    if (!g.end()) {
      return;
    }
    schedule(
        worker,
        () -> {
          runtime
              .events()
              .publish(
                  LogRecord.builder(StabilityEventCode.ROLE_LEASE_LOST)
                      .epoch(g.epoch)
                      .message(
                          settings.participant()
                              + " no longer holds the primary role of "
                              + settings.system()
                              + " (epoch "
                              + g.epoch
                              + "): "
                              + reason)
                      .attr("lease", settings.system())
                      .attr("participant", settings.participant())
                      .attr("reason", reason));
          for (Listener listener : listeners) {
            listener.lost(g.epoch, reason);
          }
        },
        0);
    // If the session still lives, its node still blocks everyone else: remove it, as soon as the
    // ensemble answers (after a lost quorum comes back, the session may well still be alive).
    schedule(heartbeats, () -> removeUntilDone(g), 0);
  }

  private void removeUntilDone(Grant g) {
    if (!removeNode(g) && !closed) {
      schedule(heartbeats, () -> removeUntilDone(g), g.heartbeat.toNanos());
    }
  }

  /** Runs {@code task} after {@code delayNanos} unless the lease is closing. */
  private static void schedule(ScheduledExecutorService executor, Runnable task, long delayNanos) {
    try {
      executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the session ends with the connection
    }
  }

  /** Removes this grant's holder node, unless another grant came since (then it is not ours). */
  private boolean removeNode(Grant g) {
    try {
      curator
          .transaction()
          .forOperations(
              curator.transactionOp().check().withVersion(g.epochVersion).forPath(epochPath),
              curator.transactionOp().delete().withVersion(0).forPath(holderPath));
      return true;
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      return true;
    } catch (Exception e) {
      // The session ends without us: its node goes with it.
      return false;
    }
  }

  @Override
  public boolean held() {
    Grant g = grant;
    return g != null && g.held();
  }

  @Override
  public long epoch() {
    return lastEpoch;
  }

  @Override
  public Optional<Holder> holder() {
    try {
      return parseHolder(curator.getData().forPath(holderPath));
    } catch (org.apache.zookeeper.KeeperException.NoNodeException nobody) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the role's holder", e);
    } catch (Exception e) {
      // unknown is not "nobody": a gate that took it for nobody could let a second primary run
      throw new IllegalStateException(
          "cannot read the role's holder from ZooKeeper (" + holderPath + "): " + e, e);
    }
  }

  @Override
  public void release() {
    Grant g = grant;
    if (g == null || !g.end()) {
      return;
    }
    boolean removed = removeNode(g);
    String outcome =
        removed
            ? "released"
            : "released (ZooKeeper did not answer: the role is free once the session ends)";
    schedule(
        worker,
        () -> {
          runtime
              .events()
              .publish(
                  LogRecord.builder(StabilityEventCode.ROLE_LEASE_RELEASED)
                      .epoch(g.epoch)
                      .message(
                          settings.participant()
                              + " gave up the primary role of "
                              + settings.system()
                              + " (epoch "
                              + g.epoch
                              + "): "
                              + outcome)
                      .attr("lease", settings.system())
                      .attr("participant", settings.participant()));
          for (Listener listener : listeners) {
            listener.lost(g.epoch, outcome);
          }
        },
        0);
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** The connection this lease uses. */
  public ZooKeeperConnection connection() {
    return connection;
  }

  /**
   * The monotonic instant ({@link System#nanoTime()}) until which the current grant is held unless
   * a heartbeat extends it; for tests and diagnostics.
   */
  long deadlineNanos() {
    Grant g = grant;
    return g == null ? System.nanoTime() : g.deadline;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    release();
    closed = true;
    curator.getConnectionStateListenable().removeListener(connectionListener);
    heartbeats.shutdown();
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    meters.close();
  }

  private byte[] holderData(long epoch) {
    return (epoch + " " + settings.participant()).getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<Holder> parseHolder(byte[] data) {
    if (data == null) {
      return Optional.empty();
    }
    String text = new String(data, StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (space <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Holder(text.substring(space + 1), Long.parseLong(text.substring(0, space))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private long parseEpoch(byte[] data) {
    String text = data == null ? "" : new String(data, StandardCharsets.UTF_8).strip();
    try {
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "lease " + settings.system() + ": " + epochPath + " holds " + text + ", not an epoch", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, "stability-" + name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One grant: its epoch and its deadline, which only an answered heartbeat moves on. */
  private static final class Grant {
    final long epoch;
    final int epochVersion;
    final long sessionId;
    final long window;
    final Duration heartbeat;
    final AtomicBoolean over = new AtomicBoolean();
    volatile long deadline;

    Grant(
        long epoch, int epochVersion, long sessionId, long window, Duration heartbeat, long sent) {
      this.epoch = epoch;
      this.epochVersion = epochVersion;
      this.sessionId = sessionId;
      this.window = window;
      this.heartbeat = heartbeat;
      this.deadline = sent + window;
    }

    boolean held() {
      return !over.get() && System.nanoTime() - deadline < 0;
    }

    /** An answer to a request sent at {@code sent}: held until {@code sent + T - m}. */
    void proven(long sent) {
      long next = sent + window;
      if (next - deadline > 0) {
        deadline = next;
      }
    }

    /** Ends the grant; true for the first caller only. */
    boolean end() {
      return over.compareAndSet(false, true);
    }
  }
}
