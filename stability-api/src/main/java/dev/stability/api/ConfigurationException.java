package dev.stability.api;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a configuration value breaks a rule, always at build time (never on the hot path).
 * The message names the key, the offending value and the rule, e.g. {@code ServiceIdentity.grade =
 * 7: must be between 1 (highest) and 4}.
 */
public final class ConfigurationException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final @Nullable String value;
  private final String rule;

  /**
   * Creates the exception.
   *
   * @param key the configuration key, dotted from its owner (e.g. {@code ServiceIdentity.site})
   * @param value the rejected value, may be {@code null}
   * @param rule what the value must satisfy, phrased as a rule ("must be ...")
   */
  public ConfigurationException(String key, @Nullable Object value, String rule) {
    super(key + " = " + render(value) + ": " + rule);
    this.key = key;
    this.value = value == null ? null : String.valueOf(value);
    this.rule = rule;
  }

  private ConfigurationException(
      String key, String renderedValue, @Nullable String value, String rule) {
    super(key + " = " + renderedValue + ": " + rule);
    this.key = key;
    this.value = value;
    this.rule = rule;
  }

  /**
   * The same error under another key: for a reader that knows where the value stood in its document
   * (the settings named the key relative to themselves). Value and rule are unchanged.
   *
   * @param newKey the key in full
   */
  public ConfigurationException forKey(String newKey) {
    String message = getMessage();
    String rendered = message.substring(key.length() + 3, message.length() - rule.length() - 2);
    return new ConfigurationException(newKey, rendered, value, rule);
  }

  /** The key whose value was rejected. */
  public String key() {
    return key;
  }

  /** The rejected value as text, or {@code null} when the value was missing. */
  public @Nullable String value() {
    return value;
  }

  /** The rule the value broke. */
  public String rule() {
    return rule;
  }

  private static String render(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (!(value instanceof CharSequence)) {
      return String.valueOf(value);
    }
    StringBuilder out = new StringBuilder("'");
    String text = value.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '\'') {
        out.append("\\'");
      } else {
        out.append(c);
      }
    }
    return out.append('\'').toString();
  }
}
