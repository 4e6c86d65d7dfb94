package dev.stability.core.event;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Masks sensitive values before any record leaves the process (R16): member and client ids,
 * accounts, identity numbers and phone numbers. A masked value keeps its last {@code keepLast}
 * characters (default 4) and replaces the rest with {@code *}; a value no longer than {@code
 * keepLast} is masked completely. Masking is idempotent. Immutable and thread-safe.
 *
 * <p>Three places are masked: the schema fields chosen with {@link Builder#maskField} (default
 * {@code member}, {@code account}); attributes whose key is listed with {@link
 * Builder#maskAttribute} (default {@code id_number}, {@code id_no}, {@code phone}, {@code mobile},
 * {@code client_id}, {@code card_no}, compared case-insensitively); and, when message scanning is
 * on (default), two things in {@code msg}: every standalone run of 11 or more digits (mobile
 * numbers are 11, identity numbers 15 or 18 with a possible final X, bank cards 16-19), and the
 * value of every {@code name=value} pair whose name is a masked field's key or a masked attribute
 * (so {@code {account=10000001, instrument=IF2612}}, as a consistency diff names a record, becomes
 * {@code {account=****0001, instrument=IF2612}}); the value ends at white space, a comma, a
 * semicolon, a closing bracket or brace, or a quote. Put long numeric order ids in the {@code
 * order} field, not in the message, or they will be masked there too.
 */
public final class MaskingPolicy {

  private static final int MIN_DIGIT_RUN = 11;
  private static final MaskingPolicy DEFAULTS = builder().build();
  private static final MaskingPolicy NONE =
      new Builder().clearFields().clearAttributes().scanMessages(false).build();

  private final int keepLast;
  private final Set<LogField> fields;
  private final Set<String> attributes;
  private final boolean scanMessages;
  private final Set<String> names;

  private MaskingPolicy(Builder builder) {
    this.keepLast = builder.keepLast;
    this.fields = Set.copyOf(builder.fields);
    this.attributes = Set.copyOf(builder.attributes);
    this.scanMessages = builder.scanMessages;
    Set<String> named = new LinkedHashSet<>(builder.attributes);
    for (LogField field : builder.fields) {
      named.add(field.key());
    }
    this.names = Set.copyOf(named);
  }

  /** The default policy described in the class comment. */
  public static MaskingPolicy defaults() {
    return DEFAULTS;
  }

  /** A policy that masks nothing; for tests and non-production tooling only. */
  public static MaskingPolicy none() {
    return NONE;
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Masks one value, keeping its last {@code keepLast} characters. */
  public @Nullable String mask(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    int keep = value.length() > keepLast ? keepLast : 0;
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length() - keep; i++) {
      out.append('*');
    }
    return out.append(value, value.length() - keep, value.length()).toString();
  }

  /** Whether this policy changes anything at all. */
  public boolean isEnabled() {
    return !fields.isEmpty() || !attributes.isEmpty() || scanMessages;
  }

  /** Returns the record with every sensitive value masked (the same instance if none was). */
  public LogRecord apply(LogRecord record) {
    if (!isEnabled()) {
      return record;
    }
    LogRecord.Builder changed = null;
    for (LogField field : fields) {
      String value = (String) record.get(field);
      if (value != null) {
        String masked = mask(value);
        if (!masked.equals(value)) {
          changed = changed == null ? record.toBuilder() : changed;
          changed.set(field, masked);
        }
      }
    }
    if (!attributes.isEmpty()) {
      for (Map.Entry<String, String> attr : record.attrs().entrySet()) {
        if (attributes.contains(attr.getKey().toLowerCase(Locale.ROOT))) {
          String masked = mask(attr.getValue());
          if (!masked.equals(attr.getValue())) {
            changed = changed == null ? record.toBuilder() : changed;
            changed.attr(attr.getKey(), masked);
          }
        }
      }
    }
    if (scanMessages) {
      String message = record.message();
      String masked = maskNamedValues(maskDigitRuns(message));
      if (masked != message) {
        changed = changed == null ? record.toBuilder() : changed;
        changed.message(masked);
      }
    }
    return changed == null ? record : changed.build();
  }

  /**
   * Masks every standalone run of at least 11 digits (a trailing X or x counts as a digit, as in
   * identity numbers). Returns the same instance when nothing was masked.
   */
  String maskDigitRuns(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    int copied = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      if (!isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < length && isDigit(text.charAt(i))) {
        i++;
      }
      if (i - start == 17 && i < length && (text.charAt(i) == 'X' || text.charAt(i) == 'x')) {
        i++;
      }
      boolean standalone =
          (start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1)))
              && (i >= length || !Character.isLetterOrDigit(text.charAt(i)));
      if (i - start >= MIN_DIGIT_RUN && standalone) {
        if (out == null) {
          out = new StringBuilder(length);
        }
        out.append(text, copied, start).append(mask(text.substring(start, i)));
        copied = i;
      }
    }
    return out == null ? text : out.append(text, copied, length).toString();
  }

  /**
   * Masks the value of every {@code name=value} pair whose name (case-insensitive, a standalone
   * word of letters, digits, '_' or '.') is a masked field key or attribute. Returns the same
   * instance when nothing was masked.
   */
  String maskNamedValues(String text) {
    if (text == null || names.isEmpty() || text.indexOf('=') < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int length = text.length();
    for (int eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
      int nameStart = eq;
      while (nameStart > 0 && isNameChar(text.charAt(nameStart - 1))) {
        nameStart--;
      }
      if (nameStart == eq
          || !names.contains(text.substring(nameStart, eq).toLowerCase(Locale.ROOT))) {
        continue;
      }
      int valueEnd = eq + 1;
      while (valueEnd < length && !endsValue(text.charAt(valueEnd))) {
        valueEnd++;
      }
      if (valueEnd == eq + 1) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(length);
      }
      out.append(text, copied, eq + 1).append(mask(text.substring(eq + 1, valueEnd)));
      copied = valueEnd;
      eq = valueEnd - 1;
    }
    return out == null ? text : out.append(text, copied, length).toString();
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  private static boolean endsValue(char c) {
    return Character.isWhitespace(c) || ",;)]}\"'".indexOf(c) >= 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public String toString() {
    return "MaskingPolicy[keepLast="
        + keepLast
        + ", fields="
        + fields
        + ", attributes="
        + attributes
        + ", scanMessages="
        + scanMessages
        + "]";
  }

  /** Builds a {@link MaskingPolicy}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    private static final Set<LogField> MASKABLE =
        EnumSet.of(
            LogField.MEMBER,
            LogField.ACCOUNT,
            LogField.OPERATOR,
            LogField.REVIEWER,
            LogField.ORDER,
            LogField.PEER);

    private int keepLast = 4;
    private final Set<LogField> fields = EnumSet.of(LogField.MEMBER, LogField.ACCOUNT);
    private final Set<String> attributes =
        new LinkedHashSet<>(
            Set.of("id_number", "id_no", "phone", "mobile", "client_id", "card_no"));
    private boolean scanMessages = true;

    private Builder() {}

    /**
     * How many trailing characters stay visible, 0 to 8.
     *
     * @throws ConfigurationException outside 0..8
     */
    public Builder keepLast(int value) {
      if (value < 0 || value > 8) {
        throw new ConfigurationException("MaskingPolicy.keepLast", value, "must be 0..8");
      }
      this.keepLast = value;
      return this;
    }

    /**
     * Masks a schema field; allowed: member, account, operator, reviewer, order, peer.
     *
     * @throws ConfigurationException for other fields
     */
    public Builder maskField(LogField field) {
      if (!MASKABLE.contains(field)) {
        throw new ConfigurationException(
            "MaskingPolicy.fields", field, "must be one of " + MASKABLE);
      }
      fields.add(field);
      return this;
    }

    /** Stops masking every schema field, including the defaults. */
    public Builder clearFields() {
      fields.clear();
      return this;
    }

    /** Masks attributes with this key (case-insensitive). */
    public Builder maskAttribute(String key) {
      if (key == null || key.isBlank()) {
        throw new ConfigurationException("MaskingPolicy.attributes", key, "must not be blank");
      }
      attributes.add(key.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Stops masking every attribute, including the defaults. */
    public Builder clearAttributes() {
      attributes.clear();
      return this;
    }

    /** Whether to mask long digit runs inside messages (default true). */
    public Builder scanMessages(boolean value) {
      this.scanMessages = value;
      return this;
    }

    /** Builds the policy. */
    public MaskingPolicy build() {
      return new MaskingPolicy(this);
    }
  }
}
