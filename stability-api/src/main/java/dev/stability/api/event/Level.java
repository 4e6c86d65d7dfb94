package dev.stability.api.event;

/** Severity of a record, ordered from least to most severe; maps one-to-one to SLF4J levels. */
public enum Level {
  /** Fine-grained diagnostics. */
  TRACE,
  /** Diagnostics. */
  DEBUG,
  /** Normal, noteworthy facts. */
  INFO,
  /** Something operations should look at; service continues. */
  WARN,
  /** Something failed; operations must act. */
  ERROR
}
