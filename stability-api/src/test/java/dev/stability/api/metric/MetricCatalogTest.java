package dev.stability.api.metric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricCatalogTest {

  private static final Pattern MICROMETER_NAME = Pattern.compile("stability(\\.[a-z]+)+");

  @Test
  void resourceListsExactlyTheJavaCatalogInOrder() throws Exception {
    JsonNode catalog;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/stability/api/metric/metric-catalog.json")) {
      catalog = new ObjectMapper().readTree(in);
    }
    List<String> baseTags = new ArrayList<>();
    catalog.get("baseTags").forEach(n -> baseTags.add(n.asText()));
    assertThat(baseTags).isEqualTo(MetricDefinition.BASE_TAGS);

    List<String> names = new ArrayList<>();
    for (JsonNode node : catalog.get("metrics")) {
      StabilityMetric metric = byName(node.get("name").asText());
      assertThat(node.get("type").asText()).isEqualTo(metric.type().name());
      assertThat(node.get("baseUnit").isNull() ? null : node.get("baseUnit").asText())
          .isEqualTo(metric.baseUnit());
      List<String> tags = new ArrayList<>();
      node.get("tags").forEach(n -> tags.add(n.asText()));
      assertThat(tags).as(metric + " tags").isEqualTo(metric.tags());
      assertThat(node.get("prometheus").asText()).isEqualTo(metric.prometheusName());
      assertThat(node.get("meaning").asText()).isEqualTo(metric.meaning());
      names.add(metric.metricName());
    }
    List<String> fromJava = new ArrayList<>();
    for (StabilityMetric metric : StabilityMetric.values()) {
      fromJava.add(metric.metricName());
    }
    assertThat(names).containsExactlyElementsOf(fromJava);
  }

  @Test
  void namesAreMicrometerStyleUniqueAndTagsAvoidBaseTags() {
    Set<String> names = new HashSet<>();
    for (StabilityMetric metric : StabilityMetric.values()) {
      assertThat(metric.metricName()).matches(MICROMETER_NAME);
      assertThat(names.add(metric.metricName())).as("unique " + metric).isTrue();
      assertThat(metric.tags()).doesNotContainAnyElementsOf(MetricDefinition.BASE_TAGS);
      assertThat(metric.meaning()).isNotBlank();
    }
  }

  @Test
  void everyMetricExportsToPrometheusUnderItsCatalogNameWithoutClashes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, StabilityMetric> families = new HashMap<>();
    for (StabilityMetric metric : StabilityMetric.values()) {
      Tags tags = Tags.of("system", "OMS", "instance", "a1");
      for (String tag : metric.tags()) {
        tags = tags.and(tag, "x");
      }
      switch (metric.type()) {
        case COUNTER -> {
          Counter.Builder builder = Counter.builder(metric.metricName()).tags(tags);
          if (metric.baseUnit() != null) {
            builder.baseUnit(metric.baseUnit());
          }
          builder.register(registry).increment();
        }
        case TIMER ->
            Timer.builder(metric.metricName())
                .tags(tags)
                .register(registry)
                .record(Duration.ofMillis(1));
        case GAUGE -> {
          Gauge.Builder<Object> builder =
              Gauge.builder(metric.metricName(), new Object(), o -> 1.0).tags(tags);
          if (metric.baseUnit() != null) {
            builder.baseUnit(metric.baseUnit());
          }
          builder.register(registry);
        }
      }
      StabilityMetric clash = families.put(metric.prometheusName(), metric);
      assertThat(clash).as("Prometheus name clash with " + metric).isNull();
    }

    String scrape = registry.scrape();

    for (StabilityMetric metric : StabilityMetric.values()) {
      String series =
          metric.type() == MetricType.TIMER
              ? metric.prometheusName() + "_count{"
              : metric.prometheusName() + "{";
      assertThat(scrape).as(metric + " in the scrape").contains("\n" + series);
      if (metric.type() == MetricType.COUNTER) {
        assertThat(metric.prometheusName()).endsWith("_total");
      }
    }
  }

  private static StabilityMetric byName(String name) {
    for (StabilityMetric metric : StabilityMetric.values()) {
      if (metric.metricName().equals(name)) {
        return metric;
      }
    }
    throw new AssertionError("resource names a metric the Java catalog lacks: " + name);
  }
}
