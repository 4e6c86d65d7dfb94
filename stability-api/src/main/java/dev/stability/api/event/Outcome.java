package dev.stability.api.event;

/** How a guarded call or an interface call ended (R17: every interface record carries a result). */
public enum Outcome {
  /** Completed normally. */
  SUCCESS,
  /** The call ran and failed. */
  FAILURE,
  /** Refused before running (open circuit, full bulkhead, rate limit, change window...). */
  REJECTED,
  /** Did not finish within its deadline or time limit. */
  TIMEOUT,
  /** Dropped by adaptive load shedding to protect the service from overload. */
  SHED
}
