package dev.stability.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.testkit.internal.SvgChart.Scale;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The SVG a chart writes, read back with a real XML parser. */
class SvgChartTest {

  private static final String SVG = SvgDocuments.SVG;

  @Test
  void aChartIsWellFormedSvgWithAxisTitlesTicksAndALegend() throws Exception {
    String svg =
        SvgChart.builder("latency-by-percentile", "Latency by percentile")
            .x("percentile", Scale.NINES)
            .y("latency (ms)", Scale.LOG)
            .line(
                "3000/s",
                SvgChart.color(0),
                new double[] {0, 50, 90, 99, 99.9},
                new double[] {0.05, 0.1, 0.3, 2, 9})
            .line(
                "4000/s (not sustained)",
                SvgChart.color(1),
                new double[] {0, 90, 99.99},
                new double[] {0.2, 30, 400})
            .horizontal("p99 limit 25 ms", SvgChart.LIMIT, 25)
            .build()
            .svg();

    Document doc = SvgDocuments.parse(svg);
    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo(SVG);
    assertThat(root.getAttribute("data-chart")).isEqualTo("latency-by-percentile");
    assertThat(SvgDocuments.texts(doc, "chart-title")).containsExactly("Latency by percentile");
    assertThat(SvgDocuments.texts(doc, "axis-title")).containsExactly("percentile", "latency (ms)");
    assertThat(SvgDocuments.texts(doc, "legend"))
        .containsExactly("3000/s", "4000/s (not sustained)", "p99 limit 25 ms");
    // The nines up to the highest percentile drawn (99.99%), and log decades over 0.05..400 ms.
    assertThat(SvgDocuments.texts(doc, "tick"))
        .containsSubsequence("0%", "90%", "99%", "99.9%", "99.99%")
        .containsSubsequence("0.01", "0.1", "1", "10", "100", "1000");
    assertThat(doc.getElementsByTagNameNS(SVG, "polyline").getLength()).isEqualTo(2);
    SvgDocuments.assertEveryCoordinateIsFinite(doc);
    assertThat(svg).doesNotContain("<script").doesNotContain("href");
  }

  @Test
  void pointsThatCannotBeDrawnAreLeftOutNotWrittenAsNaN() throws Exception {
    String svg =
        SvgChart.builder("odd", "Odd values")
            .x("x", Scale.NINES)
            .y("y (ms)", Scale.LOG)
            .line(
                "odd",
                SvgChart.color(0),
                new double[] {0, 100, Double.NaN, 50, 99, -1},
                new double[] {1, 5, 5, 0, Double.POSITIVE_INFINITY, 3})
            .line("empty", SvgChart.color(1), new double[0], new double[0])
            .build()
            .svg();

    Document doc = SvgDocuments.parse(svg);
    SvgDocuments.assertEveryCoordinateIsFinite(doc);
    // Only (0%, 1 ms) can be drawn; the empty series is not in the legend.
    assertThat(SvgDocuments.texts(doc, "legend")).containsExactly("odd");
    Element line = (Element) doc.getElementsByTagNameNS(SVG, "polyline").item(0);
    assertThat(line.getAttribute("points").split(" ")).hasSize(1);
  }

  @Test
  void aChartWithNoDataSaysSoAndStillHasItsAxes() throws Exception {
    Document doc =
        SvgDocuments.parse(
            SvgChart.builder("empty", "Nothing measured")
                .x("time (s)", Scale.LINEAR)
                .y("p99 (ms)", Scale.LOG)
                .build()
                .svg());
    assertThat(SvgDocuments.texts(doc, "empty")).containsExactly("no data");
    assertThat(SvgDocuments.texts(doc, "axis-title")).containsExactly("time (s)", "p99 (ms)");
    assertThat(SvgDocuments.texts(doc, "tick")).isNotEmpty();
    SvgDocuments.assertEveryCoordinateIsFinite(doc);
  }

  @Test
  void hostileLabelsAreTextNotMarkup() throws Exception {
    String hostile = "</text><script>alert('x')</script>&amp; \"quoted\" \u0001\uD800";
    String svg =
        SvgChart.builder("x\" onload=\"alert(1)", hostile)
            .x(hostile, Scale.LINEAR)
            .y("y", Scale.LINEAR, 0)
            .line(hostile, SvgChart.color(0), new double[] {1, 2}, new double[] {1, 2})
            .horizontal(hostile, SvgChart.LIMIT, 1)
            .note(hostile)
            .build()
            .svg();

    Document doc = SvgDocuments.parse(svg);
    assertThat(doc.getElementsByTagName("script").getLength()).isZero();
    assertThat(doc.getElementsByTagNameNS("*", "script").getLength()).isZero();
    assertThat(doc.getDocumentElement().getAttribute("data-chart"))
        .isEqualTo("x\" onload=\"alert(1)");
    assertThat(doc.getDocumentElement().hasAttribute("onload")).isFalse();
    String shown = "</text><script>alert('x')</script>&amp; \"quoted\" \uFFFD\uFFFD";
    assertThat(SvgDocuments.texts(doc, "chart-title")).containsExactly(shown);
    assertThat(SvgDocuments.texts(doc, "legend")).containsExactly(shown, shown);
    assertThat(SvgDocuments.texts(doc, "axis-title")).contains(shown);
  }

  @Test
  void aColourThatIsNotAColourIsRefused() {
    assertThatThrownBy(
            () ->
                SvgChart.builder("c", "c")
                    .line("a", "red\" onclick=\"x", new double[] {1}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#rgb or #rrggbb");
    assertThatThrownBy(
            () ->
                SvgChart.builder("c", "c").line("a", "#000", new double[] {1, 2}, new double[] {1}))
        .hasMessage("series a: 2 x values but 1 y values");
  }
}
