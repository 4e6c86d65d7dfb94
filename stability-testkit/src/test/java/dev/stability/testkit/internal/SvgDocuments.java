package dev.stability.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads the SVG of the test kit's charts back with the JDK's XML parser, for tests. */
public final class SvgDocuments {

  private SvgDocuments() {}

  /** The SVG namespace. */
  public static final String SVG = "http://www.w3.org/2000/svg";

  /** Parses with the JDK's XML parser (namespace-aware, no external entities). */
  public static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
  }

  /** The text of every element of class {@code cls}. */
  public static List<String> texts(Document doc, String cls) {
    List<String> texts = new ArrayList<>();
    NodeList all = doc.getElementsByTagNameNS(SVG, "text");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.getAttribute("class").equals(cls)) {
        texts.add(e.getTextContent());
      }
    }
    return texts;
  }

  /** Every number in every attribute of every element: none is NaN or infinite. */
  public static void assertEveryCoordinateIsFinite(Document doc) {
    NodeList all = doc.getElementsByTagNameNS(SVG, "*");
    int checked = 0;
    for (int i = 0; i < all.getLength(); i++) {
      NamedNodeMap attributes = all.item(i).getAttributes();
      for (int a = 0; a < attributes.getLength(); a++) {
        String value = attributes.item(a).getNodeValue();
        assertThat(value).doesNotContain("NaN").doesNotContain("Infinity");
        String name = attributes.item(a).getNodeName();
        if (List.of("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "points").contains(name)) {
          for (String number : value.split("[ ,]+")) {
            assertThat(Double.parseDouble(number)).as("%s=%s", name, value).isFinite();
            checked++;
          }
        }
      }
    }
    assertThat(checked).as("coordinates checked").isPositive();
  }
}
