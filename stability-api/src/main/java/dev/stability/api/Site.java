package dev.stability.api;

/** Where an instance runs, in the usual "two sites, three centres" layout of Chinese markets. */
public enum Site {
  /** The production data centre. */
  PRIMARY_DC,
  /** The disaster-recovery centre in the same city. */
  SAME_CITY_DR,
  /** The disaster-recovery centre in another city. */
  REMOTE_DR
}
