package dev.stability.spring.autoconfigure.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.ops.OpsEndpointSettings;
import dev.stability.spring.autoconfigure.StabilityProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * {@code stability.ops.*} as the ops endpoint's settings. Apart from {@link PropertySettings}
 * because {@code stability-ops} is optional: this class is loaded only when it is there.
 */
public final class OpsSettingsFactory {

  private OpsSettingsFactory() {}

  /** The ops endpoint settings. */
  public static OpsEndpointSettings ops(StabilityProperties.Ops p) {
    return PropertySettings.build(
        () -> {
          OpsEndpointSettings.Builder b = OpsEndpointSettings.builder();
          if (p.address() != null) {
            try {
              b.address(InetAddress.getByName(p.address().trim()));
            } catch (UnknownHostException e) {
              throw new ConfigurationException(
                  "ops.address", p.address(), "must be an IP address or a resolvable host name");
            }
          }
          PropertySettings.set(p.port(), b::port);
          if (p.tokens() != null) {
            for (Map.Entry<String, String> token : p.tokens().entrySet()) {
              b.token(token.getKey(), token.getValue());
            }
          }
          PropertySettings.set(p.maxFailedAttempts(), b::maxFailedAttempts);
          PropertySettings.set(p.failureWindow(), b::failureWindow);
          PropertySettings.set(p.lockout(), b::lockout);
          return b.build();
        });
  }
}
