package dev.stability.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small line and point chart written as one inline SVG element: a title, axes with {@link Ticks}
 * and grid lines, axis titles (with their units), a legend, lines or points per series and
 * reference lines (a limit, y = x). Axes are linear, log or "nines" (percentiles at {@code -log10(1
 * - p)}, labelled 0%, 90%, 99%, ... as HdrHistogram's plotter draws them). No script, no external
 * resource, every text escaped; points that cannot be drawn (not finite, at or below 0 on a log
 * axis, 100% or more on a nines axis) are left out, so no coordinate is NaN or infinite. Not API:
 * the test kit's reports use it.
 *
 * <pre>{@code
 * String svg = SvgChart.builder("p99-over-time", "p99 latency over time")
 *     .x("time since the test started (s)", SvgChart.Scale.LINEAR)
 *     .y("p99 latency (ms)", SvgChart.Scale.LOG)
 *     .line("3000/s", SvgChart.color(0), seconds, p99s)
 *     .horizontal("p99 limit 25 ms", SvgChart.LIMIT, 25)
 *     .build().svg();
 * }</pre>
 */
public final class SvgChart {

  /** How an axis maps values. */
  public enum Scale {
    /** Evenly spaced values. */
    LINEAR,
    /** Powers of ten evenly spaced; values must be above 0. */
    LOG,
    /** Percentiles 0..100 (exclusive) at {@code -log10(1 - p/100)}. */
    NINES
  }

  /** The colour of limit lines. */
  public static final String LIMIT = "#d62728";

  /** The colour of neutral reference lines (y = x). */
  public static final String REFERENCE = "#555555";

  /** Colours for series, told apart also by people with the common colour blindness. */
  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f", "#393b79"
  };

  private static final int WIDTH = 640;
  private static final int LEFT = 72;
  private static final int RIGHT = 34; // room for the last x tick label, e.g. 99.999%
  private static final int TOP = 40;
  private static final int PLOT_HEIGHT = 250;
  private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  private static final double CHAR_WIDTH = 6.2; // 11 px sans-serif, for laying out the legend

  private final String name;
  private final String title;
  private final Axis x;
  private final Axis y;
  private final List<Series> series;
  private final List<Reference> references;
  private final String note;

  private SvgChart(Builder builder) {
    this.name = builder.name;
    this.title = builder.title;
    this.x = builder.x;
    this.y = builder.y;
    this.series = List.copyOf(builder.series);
    this.references = List.copyOf(builder.references);
    this.note = builder.note;
  }

  /** The {@code i}-th series colour (cycling). */
  public static String color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /**
   * Starts a chart.
   *
   * @param name what the chart shows, as a token ({@code data-chart} attribute), e.g. {@code
   *     latency-by-percentile}
   * @param title its title, shown above it
   */
  public static Builder builder(String name, String title) {
    return new Builder(name, title);
  }

  /** The chart as one {@code <svg>} element (SVG namespace), well-formed XML. */
  public String svg() {
    double[] xRange = range(x, true);
    double[] yRange = range(y, false);
    double[] xTicks = ticks(x.scale, xRange);
    double[] yTicks = ticks(y.scale, yRange);
    Mapping mx =
        new Mapping(x.scale, xTicks[0], xTicks[xTicks.length - 1], LEFT, LEFT + PLOT_WIDTH);
    Mapping my = new Mapping(y.scale, yTicks[0], yTicks[yTicks.length - 1], TOP + PLOT_HEIGHT, TOP);

    List<LegendEntry> legend = new ArrayList<>();
    for (Series s : series) {
      if (drawablePoints(s) > 0) { // an empty series would only clutter the legend
        legend.add(new LegendEntry(s.label, s.color, s.lines, !s.lines, false));
      }
    }
    for (Reference r : references) {
      legend.add(new LegendEntry(r.label, r.color, true, false, true));
    }
    List<double[]> legendAt = layOutLegend(legend);
    int legendRows =
        legendAt.isEmpty() ? 0 : (int) Math.round(legendAt.get(legendAt.size() - 1)[1]) + 1;
    int height = TOP + PLOT_HEIGHT + 52 + legendRows * 18 + 6;

    StringBuilder svg = new StringBuilder(8_192);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"")
        .append(escape(name))
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(title))
        .append("\" font-family=\"sans-serif\" font-size=\"11\">")
        .append("<title>")
        .append(escape(title))
        .append("</title>")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        .append("<text class=\"chart-title\" x=\"")
        .append(LEFT)
        .append("\" y=\"22\" font-size=\"14\" font-weight=\"bold\">")
        .append(escape(title))
        .append("</text>");

    // Grid and tick labels.
    List<String> xLabels = labels(x.scale, xTicks);
    for (int i = 0; i < xTicks.length; i++) {
      double px = mx.map(xTicks[i]);
      svg.append(line(px, TOP, px, TOP + PLOT_HEIGHT, "#e3e3e3", false, 1))
          .append(line(px, TOP + PLOT_HEIGHT, px, TOP + PLOT_HEIGHT + 4, "#000000", false, 1))
          .append(text(px, TOP + PLOT_HEIGHT + 17, "middle", "tick", xLabels.get(i)));
    }
    List<String> yLabels = labels(y.scale, yTicks);
    for (int i = 0; i < yTicks.length; i++) {
      double py = my.map(yTicks[i]);
      svg.append(line(LEFT, py, LEFT + PLOT_WIDTH, py, "#e3e3e3", false, 1))
          .append(line(LEFT - 4, py, LEFT, py, "#000000", false, 1))
          .append(text(LEFT - 7, py + 4, "end", "tick", yLabels.get(i)));
    }
    // Axes and their titles.
    svg.append(
            line(LEFT, TOP + PLOT_HEIGHT, LEFT + PLOT_WIDTH, TOP + PLOT_HEIGHT, "#000", false, 1))
        .append(line(LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, "#000", false, 1))
        .append(
            text(LEFT + PLOT_WIDTH / 2.0, TOP + PLOT_HEIGHT + 36, "middle", "axis-title", x.title))
        .append(
            String.format(
                Locale.ROOT,
                "<text class=\"axis-title\" x=\"0\" y=\"0\" text-anchor=\"middle\""
                    + " transform=\"translate(16,%.1f) rotate(-90)\">%s</text>",
                TOP + PLOT_HEIGHT / 2.0,
                escape(y.title)));

    // Reference lines under the data, clipped to the plot.
    for (Reference r : references) {
      if (r.diagonal) {
        double lo = Math.max(xTicks[0], yTicks[0]);
        double hi = Math.min(xTicks[xTicks.length - 1], yTicks[yTicks.length - 1]);
        if (lo < hi) {
          svg.append(line(mx.map(lo), my.map(lo), mx.map(hi), my.map(hi), r.color, true, 1.5));
        }
      } else if (drawable(y.scale, r.y)) {
        double py = my.map(axisValue(y.scale, r.y));
        if (py >= TOP - 0.5 && py <= TOP + PLOT_HEIGHT + 0.5) {
          svg.append(line(LEFT, py, LEFT + PLOT_WIDTH, py, r.color, true, 1.5));
        }
      }
    }
    // The data.
    boolean any = false;
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      int n = 0;
      for (int i = 0; i < s.xs.length; i++) {
        if (drawable(x.scale, s.xs[i]) && drawable(y.scale, s.ys[i])) {
          double px = mx.map(axisValue(x.scale, s.xs[i]));
          double py = my.map(axisValue(y.scale, s.ys[i]));
          points
              .append(n++ == 0 ? "" : " ")
              .append(coordinate(px))
              .append(',')
              .append(coordinate(py));
          if (!s.lines) {
            marks.append(
                String.format(
                    Locale.ROOT,
                    "<circle cx=\"%s\" cy=\"%s\" r=\"4.5\" fill=\"%s\" stroke=\"#ffffff\"/>",
                    coordinate(px),
                    coordinate(py),
                    s.color));
          }
        }
      }
      if (n == 0) {
        continue;
      }
      any = true;
      svg.append("<g class=\"series\"><title>").append(escape(s.label)).append("</title>");
      if (s.lines) {
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(s.color)
            .append("\" stroke-width=\"1.8\" stroke-linejoin=\"round\" points=\"")
            .append(points)
            .append("\"/>");
      } else {
        svg.append(marks);
      }
      svg.append("</g>");
    }
    if (!any) {
      svg.append(
          text(LEFT + PLOT_WIDTH / 2.0, TOP + PLOT_HEIGHT / 2.0, "middle", "empty", "no data"));
    }
    if (note != null) {
      svg.append(text(LEFT + PLOT_WIDTH, 22, "end", "note", note));
    }
    // The legend, under the x axis title.
    int legendTop = TOP + PLOT_HEIGHT + 52;
    for (int i = 0; i < legend.size(); i++) {
      LegendEntry e = legend.get(i);
      double ex = legendAt.get(i)[0];
      double ey = legendTop + legendAt.get(i)[1] * 18 + 6;
      svg.append("<g class=\"legend-entry\">");
      if (e.line) {
        svg.append(line(ex, ey, ex + 20, ey, e.color, e.dashed, 2));
      }
      if (e.marker) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%s\" cy=\"%s\" r=\"4.5\" fill=\"%s\"/>",
                coordinate(ex + 10),
                coordinate(ey),
                e.color));
      }
      svg.append(text(ex + 26, ey + 4, "start", "legend", e.label)).append("</g>");
    }
    return svg.append("</svg>").toString();
  }

  private int drawablePoints(Series s) {
    int n = 0;
    for (int i = 0; i < s.xs.length; i++) {
      if (drawable(x.scale, s.xs[i]) && drawable(y.scale, s.ys[i])) {
        n++;
      }
    }
    return n;
  }

  /** Positions (x in px, row) of the legend entries, wrapped to the chart's width. */
  private static List<double[]> layOutLegend(List<LegendEntry> entries) {
    List<double[]> at = new ArrayList<>();
    double cursor = LEFT;
    int row = 0;
    for (LegendEntry e : entries) {
      double width = 26 + e.label.length() * CHAR_WIDTH + 18;
      if (cursor > LEFT && cursor + width > WIDTH - RIGHT) {
        row++;
        cursor = LEFT;
      }
      at.add(new double[] {cursor, row});
      cursor += width;
    }
    return at;
  }

  /** The data range along an axis: its series' drawable values, reference values and includes. */
  private double[] range(Axis axis, boolean isX) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs.length; i++) {
        if (drawable(x.scale, s.xs[i]) && drawable(y.scale, s.ys[i])) {
          double v = isX ? s.xs[i] : s.ys[i];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!isX) {
      for (Reference r : references) {
        if (!r.diagonal && drawable(axis.scale, r.y)) {
          lo = Math.min(lo, r.y);
          hi = Math.max(hi, r.y);
        }
      }
    }
    for (double v : axis.includes) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (lo > hi) { // nothing to draw
      return switch (axis.scale) {
        case LINEAR -> new double[] {0, 1};
        case LOG -> new double[] {1, 10};
        case NINES -> new double[] {0, 99};
      };
    }
    return new double[] {lo, hi};
  }

  private static double[] ticks(Scale scale, double[] range) {
    return switch (scale) {
      case LINEAR -> Ticks.linear(range[0], range[1], 6);
      case LOG -> Ticks.log(range[0], range[1]);
      case NINES -> {
        int top = (int) Math.max(1, Math.ceil(Ticks.nines(range[1]) - 1e-9));
        double[] ticks = new double[top + 1];
        for (int i = 0; i <= top; i++) {
          ticks[i] = i; // in nines
        }
        yield ticks;
      }
    };
  }

  private static List<String> labels(Scale scale, double[] ticks) {
    if (scale != Scale.NINES) {
      return Ticks.labels(ticks);
    }
    List<String> labels = new ArrayList<>();
    for (double tick : ticks) {
      labels.add(Ticks.ninesLabel((int) tick));
    }
    return labels;
  }

  /** A data value in the units the axis's ticks are in: nines for a percentile axis. */
  private static double axisValue(Scale scale, double value) {
    return scale == Scale.NINES ? Ticks.nines(value) : value;
  }

  private static boolean drawable(Scale scale, double value) {
    return switch (scale) {
      case LINEAR -> Double.isFinite(value);
      case LOG -> value > 0 && Double.isFinite(value);
      case NINES -> value >= 0 && value < 100;
    };
  }

  private static String line(
      double x1, double y1, double x2, double y2, String color, boolean dashed, double width) {
    return "<line x1=\""
        + coordinate(x1)
        + "\" y1=\""
        + coordinate(y1)
        + "\" x2=\""
        + coordinate(x2)
        + "\" y2=\""
        + coordinate(y2)
        + "\" stroke=\""
        + color
        + "\" stroke-width=\""
        + Ticks.number(width)
        + (dashed ? "\" stroke-dasharray=\"6 4" : "")
        + "\"/>";
  }

  private static String text(double x, double y, String anchor, String cls, String content) {
    return "<text class=\""
        + cls
        + "\" x=\""
        + coordinate(x)
        + "\" y=\""
        + coordinate(y)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + escape(content)
        + "</text>";
  }

  private static String coordinate(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalStateException("a chart coordinate is not finite: " + value);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /**
   * Text as XML character data or attribute value: {@code & < > " '} escaped, and characters XML
   * 1.0 does not allow (control characters, lone surrogates) replaced by U+FFFD.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
              || Character.isSurrogate(c)
              || c == 0xFFFE
              || c == 0xFFFF) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** Maps data values to pixels along one axis. */
  private record Mapping(Scale scale, double lo, double hi, double from, double to) {
    double map(double value) {
      double t = transform(value);
      double a = transform(lo);
      double b = transform(hi);
      double f = b == a ? 0.5 : (t - a) / (b - a);
      return from + (to - from) * f;
    }

    private double transform(double value) {
      return switch (scale) {
        case LOG -> Math.log10(value);
        case LINEAR, NINES -> value; // a nines axis is linear in nines (see axisValue)
      };
    }
  }

  private record Axis(String title, Scale scale, double[] includes) {}

  private record Series(String label, String color, double[] xs, double[] ys, boolean lines) {}

  private record Reference(String label, String color, boolean diagonal, double y) {}

  private record LegendEntry(
      String label, String color, boolean line, boolean marker, boolean dashed) {}

  /** Builds an {@link SvgChart}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String title;
    private Axis x = new Axis("", Scale.LINEAR, new double[0]);
    private Axis y = new Axis("", Scale.LINEAR, new double[0]);
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private String note;

    private Builder(String name, String title) {
      this.name = Objects.requireNonNull(name, "name");
      this.title = Objects.requireNonNull(title, "title");
    }

    /** The x axis: its title with the unit, e.g. {@code target rate (calls/s)}, and its scale. */
    public Builder x(String axisTitle, Scale scale, double... includes) {
      this.x = new Axis(Objects.requireNonNull(axisTitle, "axisTitle"), scale, includes.clone());
      return this;
    }

    /**
     * The y axis: its title with the unit and its scale; {@code includes} are values the axis
     * covers whatever the data, e.g. 0.
     */
    public Builder y(String axisTitle, Scale scale, double... includes) {
      this.y = new Axis(Objects.requireNonNull(axisTitle, "axisTitle"), scale, includes.clone());
      return this;
    }

    /** A series drawn as a line through its points, in order. */
    public Builder line(String label, String color, double[] xs, double[] ys) {
      return add(label, color, xs, ys, true);
    }

    /** A series drawn as points. */
    public Builder points(String label, String color, double[] xs, double[] ys) {
      return add(label, color, xs, ys, false);
    }

    /** A dashed horizontal line at {@code y}, in the legend as {@code label}. */
    public Builder horizontal(String label, String color, double value) {
      references.add(
          new Reference(Objects.requireNonNull(label, "label"), checked(color), false, value));
      return this;
    }

    /** A dashed line where y = x, in the legend as {@code label}. */
    public Builder diagonal(String label, String color) {
      references.add(
          new Reference(Objects.requireNonNull(label, "label"), checked(color), true, 0));
      return this;
    }

    /** A short note at the top right, e.g. what a scale means. */
    public Builder note(String value) {
      this.note = value;
      return this;
    }

    private Builder add(String label, String color, double[] xs, double[] ys, boolean lines) {
      if (xs.length != ys.length) {
        throw new IllegalArgumentException(
            "series " + label + ": " + xs.length + " x values but " + ys.length + " y values");
      }
      series.add(
          new Series(
              Objects.requireNonNull(label, "label"),
              checked(color),
              xs.clone(),
              ys.clone(),
              lines));
      return this;
    }

    private static String checked(String color) {
      if (color == null || !color.matches("#[0-9a-fA-F]{3,8}")) {
        throw new IllegalArgumentException("a chart colour must be #rgb or #rrggbb, got " + color);
      }
      return color;
    }

    /** Builds the chart. */
    public SvgChart build() {
      return new SvgChart(this);
    }
  }
}
