package dev.stability.core.switchover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded {@link EndpointRegistry} implementations. */
public final class EndpointRegistries {

  private EndpointRegistries() {}

  /** A registry in memory (one process, tests). Thread-safe. */
  public static EndpointRegistry inMemory() {
    Map<String, EndpointRegistry.Entry> entries = new ConcurrentHashMap<>();
    return new EndpointRegistry() {
      @Override
      public Optional<Entry> primary(String service) {
        return Optional.ofNullable(entries.get(service));
      }

      @Override
      public void publish(String service, String address, long epoch) {
        entries.compute(
            service,
            (s, old) -> {
              refuseOlder(service, old, epoch);
              return new Entry(address, epoch);
            });
      }
    };
  }

  /**
   * A registry in a JSON file that processes on one host (or a shared volume) read: {@code
   * {"service": {"address": ..., "epoch": ...}}}, replaced atomically on every publish.
   */
  public static EndpointRegistry file(Path file) {
    ObjectMapper json = new ObjectMapper();
    return new EndpointRegistry() {
      @Override
      public synchronized Optional<Entry> primary(String service) {
        JsonNode node = read().get(service);
        return node == null
            ? Optional.empty()
            : Optional.of(new Entry(node.get("address").asText(), node.get("epoch").asLong()));
      }

      @Override
      public synchronized void publish(String service, String address, long epoch) {
        ObjectNode all = read();
        JsonNode old = all.get(service);
        refuseOlder(
            service,
            old == null ? null : new Entry(old.get("address").asText(), old.get("epoch").asLong()),
            epoch);
        all.putObject(service).put("address", address).put("epoch", epoch);
        try {
          AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        } catch (IOException e) {
          throw new UncheckedIOException("endpoint registry " + file + " cannot be written", e);
        }
      }

      private ObjectNode read() {
        try {
          if (!Files.exists(file)) {
            return json.createObjectNode();
          }
          JsonNode root = json.readTree(file.toFile());
          if (!(root instanceof ObjectNode object)) {
            throw new IllegalStateException("endpoint registry " + file + " is not a JSON object");
          }
          return object;
        } catch (IOException e) {
          throw new UncheckedIOException("endpoint registry " + file + " cannot be read", e);
        }
      }
    };
  }

  private static void refuseOlder(String service, EndpointRegistry.Entry old, long epoch) {
    if (old != null && epoch < old.epoch()) {
      throw new IllegalArgumentException(
          "endpoint registry: "
              + service
              + " is already published at epoch "
              + old.epoch()
              + "; an entry of epoch "
              + epoch
              + " is refused");
    }
  }
}
