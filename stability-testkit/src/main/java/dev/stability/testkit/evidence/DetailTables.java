package dev.stability.testkit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a piece of evidence's detail (JSON) as HTML tables: an object as name/value rows, a list
 * of objects as one row per element with a column per field, a list of values on one line. Lists
 * nested inside list elements (a pressure step's percentiles and timeline, which its charts show)
 * are left out and named; they stay in evidence.json.
 */
final class DetailTables {

  private static final int MAX_DEPTH = 4;

  private DetailTables() {}

  /** Appends {@code detail} as tables. */
  static void append(StringBuilder html, JsonNode detail) {
    value(html, detail, 0);
  }

  private static void value(StringBuilder html, JsonNode node, int depth) {
    if (node.isObject()) {
      object(html, node, depth);
    } else if (node.isArray()) {
      array(html, node, depth);
    } else {
      scalar(html, node);
    }
  }

  private static void object(StringBuilder html, JsonNode node, int depth) {
    if (depth >= MAX_DEPTH) {
      html.append(EvidenceReport.escape(node.toString()));
      return;
    }
    html.append("<table class=\"detail\">");
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      html.append("<tr><th>").append(EvidenceReport.escape(field.getKey())).append("</th><td");
      html.append(field.getValue().isNumber() ? " class=\"n\">" : ">");
      value(html, field.getValue(), depth + 1);
      html.append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void array(StringBuilder html, JsonNode node, int depth) {
    if (node.isEmpty()) {
      html.append("none");
      return;
    }
    boolean objects = true;
    boolean scalars = true;
    for (JsonNode element : node) {
      objects &= element.isObject();
      scalars &= element.isValueNode();
    }
    if (scalars) {
      List<String> values = new ArrayList<>();
      for (JsonNode element : node) {
        values.add(text(element));
      }
      html.append(EvidenceReport.escape(String.join(", ", values)));
      return;
    }
    if (!objects || depth >= MAX_DEPTH) {
      html.append(EvidenceReport.escape(node.toString()));
      return;
    }
    // One row per element; nested objects as tables, nested lists left out by name.
    Set<String> columns = new LinkedHashSet<>();
    Set<String> omitted = new LinkedHashSet<>();
    for (JsonNode element : node) {
      for (Map.Entry<String, JsonNode> f : element.properties()) {
        (f.getValue().isArray() ? omitted : columns).add(f.getKey());
      }
    }
    columns.removeAll(omitted);
    html.append("<table class=\"detail\"><tr>");
    for (String column : columns) {
      html.append("<th>").append(EvidenceReport.escape(column)).append("</th>");
    }
    html.append("</tr>");
    for (JsonNode element : node) {
      html.append("<tr>");
      for (String column : columns) {
        JsonNode cell = element.path(column);
        html.append(cell.isNumber() ? "<td class=\"n\">" : "<td>");
        if (!cell.isMissingNode()) {
          value(html, cell, depth + 1);
        }
        html.append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</table>");
    if (!omitted.isEmpty()) {
      html.append("<p class=\"none\">Per row also ")
          .append(EvidenceReport.escape(String.join(", ", omitted)))
          .append(": in evidence.json.</p>");
    }
  }

  private static void scalar(StringBuilder html, JsonNode node) {
    html.append(EvidenceReport.escape(text(node)));
  }

  private static String text(JsonNode node) {
    return node.isNull() ? "null" : node.asText();
  }
}
