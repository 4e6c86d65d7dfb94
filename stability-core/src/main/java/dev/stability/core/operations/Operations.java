package dev.stability.core.operations;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Operations control, reached through {@code runtime.operations()} (R5, R6): every operation done
 * through the SDK is recorded in the hash-chained operation log with operator, reviewer, reason and
 * outcome; high-risk and emergency operations need a request by one person and an approval by
 * another; risky operations are refused while a trading session is open unless they are an approved
 * emergency. Thread-safe.
 *
 * <pre>{@code
 * OperationRequest request = ops.request(Operation.builder("switchover", Risk.HIGH)
 *     .target("oms-b1").operator("zhang.san").reason("planned move to DC2").build());
 * Approval approval = ops.approve(request.id(), "li.si");          // a different person
 * SwitchReport report = ops.perform(approval, controller::switchover);
 * }</pre>
 */
public interface Operations {

  /**
   * Performs a routine or risky operation that needs no approval, and records it with its outcome.
   *
   * @throws OperationRefusedException if the operation needs an approval (high risk or emergency),
   *     or a trading session is open and it is risky
   * @throws Exception whatever {@code action} throws; the failure is recorded first
   */
  <T> T perform(Operation operation, Callable<T> action) throws Exception;

  /**
   * Records a request for a second person's approval (required for high-risk and emergency
   * operations, allowed for any).
   */
  OperationRequest request(Operation operation);

  /**
   * Approves a pending request as {@code reviewer}.
   *
   * @throws OperationRefusedException if the reviewer is the requester, the request is unknown,
   *     already approved, or older than the approval timeout
   */
  Approval approve(String operationId, String reviewer);

  /**
   * Performs an approved operation once, and records it with both names and its outcome. The change
   * window is checked now, not at request time; an approved emergency may run in session.
   *
   * @throws OperationRefusedException if the approval was not issued here, was used already, has
   *     expired, or the change window is closed for a non-emergency
   * @throws Exception whatever {@code action} throws; the failure is recorded first
   */
  <T> T perform(Approval approval, Callable<T> action) throws Exception;

  /**
   * Records an operation done outside the SDK (a manual step on another system), with its outcome;
   * no rule is checked, since it already happened.
   */
  void record(Operation operation, boolean succeeded, String detail);

  /** The change-window policy, if a calendar is configured. */
  Optional<ChangeWindow> changeWindow();

  /** The operation log. */
  OperationLog log();
}
