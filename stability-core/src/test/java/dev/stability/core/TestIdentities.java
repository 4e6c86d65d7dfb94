package dev.stability.core;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;

/** Identities used across tests. */
public final class TestIdentities {
  private TestIdentities() {}

  public static ServiceIdentity oms(String instance) {
    return ServiceIdentity.builder()
        .systemCode("OMS")
        .subsystem("order-entry")
        .instanceId(instance)
        .build();
  }

  /**
   * An instance of the test matching system MATCH (subsystem {@code core}) in a role: the primary
   * and standby processes of switch and warm-standby tests ({@code match-a1}, {@code match-b1}).
   */
  public static ServiceIdentity match(String instance, Role role) {
    return ServiceIdentity.builder()
        .systemCode("MATCH")
        .subsystem("core")
        .instanceId(instance)
        .role(role)
        .build();
  }
}
