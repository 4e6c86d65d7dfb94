package dev.stability.api;

/** Where an instance runs, in the usual "two sites, three centres" layout of Chinese markets. */
public enum Site {
  /** The production data centre. */
  PRIMARY_DC,
  /** The disaster-recovery centre in the same city. */
  SAME_CITY_DR,
  /** The disaster-recovery centre in another city. */
  REMOTE_DR,
  /**
   * Not known: written only on ordinary log lines of a process that did not say where it runs (no
   * encoder property, no system property, no running runtime). A {@link ServiceIdentity} refuses
   * it: a plausible wrong site would be worse than none.
   */
  UNKNOWN
}
