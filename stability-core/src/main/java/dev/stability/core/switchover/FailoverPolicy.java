package dev.stability.core.switchover;

/**
 * Who decides a failover when the primary's role lease is gone (R9, R18): operators through dual
 * control (the default), or the standby itself.
 */
public enum FailoverPolicy {
  /**
   * The standby raises {@code ROLE_LEASE_VACANT} and its {@code primary-lease} readiness check goes
   * DOWN; one operator requests the failover, another approves it (R5).
   */
  MANUAL,
  /**
   * The standby fails over as soon as nobody holds the role (the primary's session expired or it
   * released the role), after applying every record it received; the operation log names the policy
   * as the operator. For systems whose rules let an unattended promotion stand.
   */
  AUTOMATIC
}
