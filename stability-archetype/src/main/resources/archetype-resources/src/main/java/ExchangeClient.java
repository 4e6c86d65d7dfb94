package ${package};

import dev.stability.api.annotation.OutboundClient;
import java.io.IOException;

/**
 * The exchange as this service sees it: the outbound dependency that the {@code exchange-link}
 * guard protects. {@code @OutboundClient} lets the ArchUnit rules check that critical paths call it
 * only through a guard.
 */
@OutboundClient
public interface ExchangeClient {

  /** Sends one order and returns the exchange's acknowledgement. */
  String send(String order) throws IOException;

  /** Whether the session with the exchange is up (the health check asks). */
  boolean connected();
}
