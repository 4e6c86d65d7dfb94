package dev.stability.core.operations;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an operator wants done (R5): the action, its risk, the target, who asks and why, the
 * parameters, and whether it is declared an emergency. Immutable; build with {@link #builder}.
 *
 * <pre>{@code
 * Operation switchover = Operation.builder("switchover", Risk.HIGH)
 *     .target("oms-b1").operator("zhang.san").reason("planned move to DC2").build();
 * }</pre>
 *
 * @param action what is done, lower case ({@code switchover}, {@code guard.force-open})
 * @param risk how much care it needs
 * @param target what it is done to (an instance, a guard), or empty
 * @param operator who asks
 * @param reason why, in the operator's words
 * @param params parameters, sorted by name
 * @param emergency declared an emergency: allowed in a trading session, but only with approval
 */
public record Operation(
    String action,
    Risk risk,
    String target,
    String operator,
    String reason,
    Map<String, String> params,
    boolean emergency) {

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
  private static final Pattern PARAM = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,47}");

  /** Validates and copies. */
  public Operation {
    if (action == null || !ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException(
          "operation action '"
              + action
              + "' must start with a lower case letter, then letters, digits, '.', '_' or '-',"
              + " 1-64 characters");
    }
    if (action.startsWith("operation-log.")) {
      throw new IllegalArgumentException(
          "operation action '" + action + "': names starting with operation-log. are the SDK's");
    }
    Objects.requireNonNull(risk, "risk");
    target = target == null ? "" : target;
    if (operator == null || operator.isBlank()) {
      throw new IllegalArgumentException("operation " + action + " needs an operator (R5)");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("operation " + action + " needs a reason (R5)");
    }
    params = params == null ? Map.of() : params;
    for (String key : params.keySet()) {
      if (!PARAM.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "operation "
                + action
                + ": parameter name '"
                + key
                + "' must be 1-48 letters,"
                + " digits, '_', '.' or '-', starting with a letter");
      }
    }
    params = Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** Starts an operation. */
  public static Builder builder(String action, Risk risk) {
    return new Builder(action, risk);
  }

  /** Whether a second person must approve it: high risk, or any emergency. */
  public boolean needsApproval() {
    return risk == Risk.HIGH || emergency;
  }

  /** Builds an {@link Operation}. */
  public static final class Builder {
    private final String action;
    private final Risk risk;
    private String target = "";
    private String operator;
    private String reason;
    private final Map<String, String> params = new TreeMap<>();
    private boolean emergency;

    private Builder(String action, Risk risk) {
      this.action = action;
      this.risk = risk;
    }

    /** What the operation is done to. */
    public Builder target(String value) {
      this.target = value;
      return this;
    }

    /** Who asks for it. */
    public Builder operator(String value) {
      this.operator = value;
      return this;
    }

    /** Why. */
    public Builder reason(String value) {
      this.reason = value;
      return this;
    }

    /** Adds a parameter. */
    public Builder param(String name, Object value) {
      params.put(name, String.valueOf(value));
      return this;
    }

    /** Declares an emergency: allowed in a trading session, with a second person's approval. */
    public Builder emergency(boolean value) {
      this.emergency = value;
      return this;
    }

    /**
     * Builds the operation.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public Operation build() {
      return new Operation(action, risk, target, operator, reason, params, emergency);
    }
  }
}
