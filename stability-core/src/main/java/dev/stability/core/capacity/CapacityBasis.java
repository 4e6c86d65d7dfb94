package dev.stability.core.capacity;

/**
 * Which capacity an indicator's headroom is measured against (R1): the rate a pressure test
 * sustained, else the capacity provisioned in configuration (a link's bandwidth), else none.
 */
public enum CapacityBasis {
  /** The rate the last pressure test sustained ({@link CapacityIndicator#testedCapacity()}). */
  TESTED,
  /**
   * The capacity set in configuration ({@link CapacityIndicator#provisionedCapacity()}); used only
   * while no pressure test has recorded a tested capacity.
   */
  PROVISIONED,
  /** Neither: headroom is 0 once a peak is known. */
  NONE;

  /** Lower case, as events and health details write it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
