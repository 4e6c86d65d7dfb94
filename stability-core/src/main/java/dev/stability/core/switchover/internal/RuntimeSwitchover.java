package dev.stability.core.switchover.internal;

import dev.stability.api.Role;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.operations.Operations;
import dev.stability.core.standby.internal.DefaultWarmStandby;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.core.switchover.Switchover;
import java.util.function.Consumer;

/** The runtime's {@link Switchover}. Internal. */
public final class RuntimeSwitchover implements Switchover {

  private final RuntimeContext context;
  private final Operations operations;
  private final CheckpointAuditor auditor;
  private final Consumer<Role> role;
  private final DefaultWarmStandby warm;

  /**
   * Controllers for the runtime of this context; {@code role} changes the runtime's role, {@code
   * warm} is what a promotion inherits.
   */
  public RuntimeSwitchover(
      RuntimeContext context,
      Operations operations,
      CheckpointAuditor auditor,
      Consumer<Role> role,
      DefaultWarmStandby warm) {
    this.warm = warm;
    this.context = context;
    this.operations = operations;
    this.auditor = auditor;
    this.role = role;
  }

  @Override
  public SwitchController controller(SwitchSettings settings, SwitchParticipants participants) {
    return new DefaultSwitchController(
        settings, participants, operations, auditor, context, role, warm);
  }
}
