package dev.stability.core;

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
}
