package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The feature status states how many event codes and metrics the catalogs hold; it says what the
 * catalogs hold, so a code or metric added without the page following fails here.
 */
class CatalogCountsTest {

  private static int stated(String page, String pattern) throws Exception {
    String text =
        Files.readString(DocSnippetsTest.repositoryRoot().resolve(page), StandardCharsets.UTF_8);
    Matcher matcher = Pattern.compile(pattern).matcher(text);
    assertThat(matcher.find()).as(page + " states a count matching " + pattern).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  @Test
  void theFeatureStatusCountsTheCodesAndMetricsTheCatalogsHold() throws Exception {
    assertThat(stated("docs/feature-status.md", "`StabilityEventCode`, (\\d+) codes"))
        .as("event codes in docs/feature-status.md")
        .isEqualTo(StabilityEventCode.values().length);
    assertThat(stated("docs/feature-status.md", "`StabilityMetric`, (\\d+) metrics"))
        .as("metrics in docs/feature-status.md")
        .isEqualTo(StabilityMetric.values().length);
  }
}
