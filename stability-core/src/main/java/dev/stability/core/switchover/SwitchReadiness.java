package dev.stability.core.switchover;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every readiness gate of a switch and its state, visible at any time (R9, R18). Immutable.
 *
 * @param gates each gate's result, in the order they are checked
 */
public record SwitchReadiness(List<Gate> gates) {

  /**
   * One gate.
   *
   * @param name the gate: {@code standby-lag}, {@code digests-equal}, {@code standby-health},
   *     {@code role-lease} (with a lease), {@code change-window}, {@code approval}
   * @param passed whether it allows the switch
   * @param reason why, in one line
   */
  public record Gate(String name, boolean passed, String reason) {}

  /** Copies. */
  public SwitchReadiness {
    gates = List.copyOf(gates);
  }

  /** Whether every gate passed. */
  public boolean ready() {
    return gates.stream().allMatch(Gate::passed);
  }

  /** The failed gates' reasons, joined. */
  public String failures() {
    return gates.stream()
        .filter(g -> !g.passed())
        .map(g -> g.name() + ": " + g.reason())
        .collect(Collectors.joining("; "));
  }

  /** One line per gate. */
  public String toText() {
    StringBuilder text = new StringBuilder(ready() ? "switch ready\n" : "switch NOT ready\n");
    for (Gate gate : gates) {
      text.append(
          String.format(
              "  %-5s %-15s %s%n", gate.passed() ? "OK" : "FAIL", gate.name(), gate.reason()));
    }
    return text.toString();
  }
}
