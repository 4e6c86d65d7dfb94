package dev.stability.core.operations;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How operations are controlled and recorded (R4, R5, R6). Immutable; build with {@link
 * #builder()}.
 *
 * @param calendar the trading calendar; without one no change window is enforced
 * @param changeWindowMargin how long before a session opens and after it closes risky changes are
 *     already and still refused (default 0, at most 4 hours)
 * @param maxFrozenBreak breaks between sessions up to this long are frozen too (default 2 hours, so
 *     the midday break is; 0 leaves breaks open)
 * @param logFile the operation log (JSON lines, hash-chained); {@code null} keeps records only in
 *     the event output (tests)
 * @param retention how long rolled log files are kept before they may be deleted; at least 365 days
 *     (R4), 366 by default
 * @param approvalTimeout how long a request waits for its approval, and an approval for its
 *     operation to be performed (default 15 minutes, 10 s to 24 h)
 * @param chainKey a secret of at least 32 bytes that turns the chain into HMAC-SHA256, so that
 *     someone who can write the log but not read the key cannot recompute the chain; {@code null}
 *     for plain SHA-256 (default). Keep it away from the log's directory; verifying needs it too.
 */
public record OperationSettings(
    @Nullable TradingCalendar calendar,
    Duration changeWindowMargin,
    Duration maxFrozenBreak,
    @Nullable Path logFile,
    Duration retention,
    Duration approvalTimeout,
    byte @Nullable [] chainKey) {

  /** Validates. */
  public OperationSettings {
    Rules.notNegative("operations.change-window-margin", changeWindowMargin);
    Rules.notNegative("operations.max-frozen-break", maxFrozenBreak);
    Rules.positive("operations.retention", retention);
    if (retention.toDays() < 365) {
      throw new ConfigurationException(
          "operations.retention",
          retention,
          "must be at least 365 days (R4: logs are kept a year)");
    }
    Rules.positive("operations.approval-timeout", approvalTimeout);
    if (approvalTimeout.toSeconds() < 10 || approvalTimeout.toHours() > 24) {
      throw new ConfigurationException(
          "operations.approval-timeout", approvalTimeout, "must be between 10 s and 24 h");
    }
    if (calendar != null) {
      new ChangeWindow(calendar, changeWindowMargin, maxFrozenBreak); // validates both
    }
    if (chainKey != null && chainKey.length < 32) {
      throw new ConfigurationException(
          "operations.chain-key", "<hidden>", "must have at least 32 bytes");
    }
    chainKey = chainKey == null ? null : chainKey.clone();
  }

  /** A copy of the chain key, or {@code null}. */
  @Override
  public byte @Nullable [] chainKey() {
    return chainKey == null ? null : chainKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OperationSettings o
        && java.util.Objects.equals(calendar, o.calendar)
        && changeWindowMargin.equals(o.changeWindowMargin)
        && maxFrozenBreak.equals(o.maxFrozenBreak)
        && java.util.Objects.equals(logFile, o.logFile)
        && retention.equals(o.retention)
        && approvalTimeout.equals(o.approvalTimeout)
        && java.util.Arrays.equals(chainKey, o.chainKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        calendar, changeWindowMargin, logFile, retention, approvalTimeout);
  }

  @Override
  public String toString() {
    return "OperationSettings[calendar="
        + calendar
        + ", changeWindowMargin="
        + changeWindowMargin
        + ", maxFrozenBreak="
        + maxFrozenBreak
        + ", logFile="
        + logFile
        + ", retention="
        + retention
        + ", approvalTimeout="
        + approvalTimeout
        + ", chainKey="
        + (chainKey == null ? "none" : "<hidden>")
        + "]";
  }

  /** No calendar, no log file, retention 366 days, approvals valid 15 minutes. */
  public static OperationSettings defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The change window, if a calendar is set. */
  public Optional<ChangeWindow> changeWindow() {
    return calendar == null
        ? Optional.empty()
        : Optional.of(new ChangeWindow(calendar, changeWindowMargin, maxFrozenBreak));
  }

  /** Builds {@link OperationSettings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private TradingCalendar calendar;
    private Duration changeWindowMargin = Duration.ZERO;
    private Duration maxFrozenBreak = Duration.ofHours(2);
    private Path logFile;
    private Duration retention = Duration.ofDays(366);
    private Duration approvalTimeout = Duration.ofMinutes(15);
    private byte[] chainKey;

    private Builder() {}

    /** A secret (at least 32 bytes) that makes the chain an HMAC; see {@link #chainKey()}. */
    public Builder chainKey(byte @Nullable [] value) {
      this.chainKey = value == null ? null : value.clone();
      return this;
    }

    /** The trading calendar that defines the change window. */
    public Builder calendar(@Nullable TradingCalendar value) {
      this.calendar = value;
      return this;
    }

    /** Margin around each session in which risky changes are refused too. */
    public Builder changeWindowMargin(Duration value) {
      this.changeWindowMargin = value;
      return this;
    }

    /** Breaks up to this long are frozen too (default 2 hours; zero leaves them open). */
    public Builder maxFrozenBreak(Duration value) {
      this.maxFrozenBreak = value;
      return this;
    }

    /** The operation log file; rolled files sit beside it. */
    public Builder logFile(Path value) {
      this.logFile = value;
      return this;
    }

    /** How long rolled files are kept (at least 365 days). */
    public Builder retention(Duration value) {
      this.retention = value;
      return this;
    }

    /** How long requests and approvals stay valid. */
    public Builder approvalTimeout(Duration value) {
      this.approvalTimeout = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the key, value and rule of the first bad setting
     */
    public OperationSettings build() {
      return new OperationSettings(
          calendar,
          changeWindowMargin,
          maxFrozenBreak,
          logFile,
          retention,
          approvalTimeout,
          chainKey);
    }
  }
}
