package dev.stability.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCatalogResourceTest {

  private static JsonNode resource() throws Exception {
    try (InputStream in =
        EventCatalogResourceTest.class.getResourceAsStream(
            "/dev/stability/api/event/event-codes.json")) {
      assertThat(in).as("event-codes.json on the classpath").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void resourceListsExactlyTheJavaCatalogInOrder() throws Exception {
    JsonNode codes = resource().get("codes");
    List<String> fromResource = new ArrayList<>();
    codes.forEach(
        node -> {
          StabilityEventCode code = StabilityEventCode.valueOf(node.get("code").asText());
          assertThat(node.get("category").asText())
              .as(code + " category")
              .isEqualTo(code.category().name());
          assertThat(node.get("level").asText()).as(code + " level").isEqualTo(code.level().name());
          assertThat(node.get("meaning").asText()).as(code + " meaning").isEqualTo(code.meaning());
          fromResource.add(node.get("code").asText());
        });

    List<String> fromJava = new ArrayList<>();
    for (StabilityEventCode code : StabilityEventCode.values()) {
      fromJava.add(code.code());
    }
    assertThat(fromResource).containsExactlyElementsOf(fromJava);
  }

  @Test
  void everyCodeIsWellFormedUniqueAndDocumented() {
    Set<String> seen = new HashSet<>();
    for (StabilityEventCode code : StabilityEventCode.values()) {
      assertThat(code.code()).matches(EventCode.CODE_PATTERN);
      assertThat(seen.add(code.code())).as("unique " + code).isTrue();
      assertThat(code.meaning()).as(code + " meaning").isNotBlank().endsWith(".");
      assertThat(code.category()).isNotNull();
      assertThat(code.level()).isNotNull();
    }
  }

  @Test
  void catalogCoversEverySubsystemDesignedSoFar() {
    Set<String> prefixes = new HashSet<>();
    for (StabilityEventCode code : StabilityEventCode.values()) {
      prefixes.add(code.code().substring(0, code.code().indexOf('_')));
    }
    assertThat(prefixes)
        .contains(
            "RUNTIME",
            "GUARD",
            "HEALTH",
            "CAPACITY",
            "CONSISTENCY",
            "JOURNAL",
            "STANDBY",
            "SWITCHOVER",
            "FAILOVER",
            "OPERATION",
            "CHANGE",
            "APP");
  }
}
