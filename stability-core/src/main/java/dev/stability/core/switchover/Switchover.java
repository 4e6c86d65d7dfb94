package dev.stability.core.switchover;

/**
 * The runtime's switchover side, reached through {@code runtime.switchover()} (R9, R18): switch
 * controllers for a primary and a standby that share a journal. Thread-safe.
 */
public interface Switchover {

  /**
   * A switch controller for these participants: it promotes the standby and changes the runtime's
   * role to PRIMARY when it does; every switch goes through the runtime's dual control.
   */
  SwitchController controller(SwitchSettings settings, SwitchParticipants participants);
}
