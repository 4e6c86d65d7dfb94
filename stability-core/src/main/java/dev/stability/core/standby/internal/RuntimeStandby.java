package dev.stability.core.standby.internal;

import dev.stability.api.standby.StateMachine;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.standby.Standby;
import java.util.ArrayList;
import java.util.List;

/** The runtime's {@link Standby}: starts followers and closes them with it. Internal. */
public final class RuntimeStandby implements Standby, AutoCloseable {

  private final RuntimeContext context;
  private final CheckpointAuditor auditor;
  private final List<Follower> followers = new ArrayList<>();

  /** The standby side of the runtime of this context, checkpointing to {@code auditor}. */
  public RuntimeStandby(RuntimeContext context, CheckpointAuditor auditor) {
    this.context = context;
    this.auditor = auditor;
  }

  @Override
  public synchronized Follower follow(
      FollowerSettings settings, JournalSource source, StateMachine machine) {
    Follower follower = new JournalFollower(settings, source, machine, auditor, context);
    followers.add(follower);
    return follower;
  }

  /** Closes every follower started here. */
  @Override
  public synchronized void close() {
    followers.forEach(Follower::close);
  }
}
