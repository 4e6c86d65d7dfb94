package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Keeps stability-bom as docs/getting-started.md describes it: it manages every published SDK
 * artifact (a module of the reactor that does not skip deploy), the same ones the parent manages,
 * at the parent's version, and nothing else. The BOM has no parent (so that importing it does not
 * bring the parent's third-party pins), which is why its version and list are checked here.
 *
 * <p>Only jar modules are dependencies. The archetype ({@code stability-archetype}, packaging
 * {@code maven-archetype}) is published too, but as a project template that {@code mvn
 * archetype:generate} reads, never as a dependency: a BOM entry for it would manage nothing a build
 * uses, so it is not in the BOM (nor in the parent's dependency management).
 */
class BomTest {

  private static final String GROUP = "dev.stability";

  @Test
  void bomManagesEveryPublishedArtifactAtTheParentsVersionAndNothingElse() throws Exception {
    Path root = repositoryRoot();
    Document parent = parse(root.resolve("pom.xml"));
    Document bom = parse(root.resolve("stability-bom/pom.xml"));

    assertThat(child(bom.getDocumentElement(), "parent")).as("the BOM has no parent").isNull();
    assertThat(text(bom.getDocumentElement(), "groupId")).isEqualTo(GROUP);
    assertThat(text(bom.getDocumentElement(), "version"))
        .as("the BOM's version follows the parent's")
        .isEqualTo(text(parent.getDocumentElement(), "version"));

    Set<String> published = new TreeSet<>();
    Set<String> templates = new TreeSet<>();
    for (Element module : children(child(parent.getDocumentElement(), "modules"), "module")) {
      Element pom =
          parse(root.resolve(module.getTextContent().trim()).resolve("pom.xml"))
              .getDocumentElement();
      String packaging = text(pom, "packaging");
      Element properties = child(pom, "properties");
      boolean skipsDeploy =
          properties != null && "true".equals(text(properties, "maven.deploy.skip"));
      if (!skipsDeploy && (packaging == null || packaging.equals("jar"))) {
        published.add(text(pom, "artifactId"));
      } else if (!skipsDeploy && "maven-archetype".equals(packaging)) {
        templates.add(text(pom, "artifactId"));
      }
    }

    List<Element> bomDependencies = managed(bom);
    Set<String> inBom = new TreeSet<>();
    for (Element dependency : bomDependencies) {
      assertThat(text(dependency, "groupId")).as("only SDK artifacts in the BOM").isEqualTo(GROUP);
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      inBom.add(text(dependency, "artifactId"));
    }
    Set<String> inParent = new TreeSet<>();
    for (Element dependency : managed(parent)) {
      if (GROUP.equals(text(dependency, "groupId"))) {
        inParent.add(text(dependency, "artifactId"));
      }
    }

    assertThat(published).as("published modules").isNotEmpty();
    assertThat(inBom).as("the BOM lists every published module").isEqualTo(published);
    assertThat(inParent).as("the parent manages the same SDK artifacts").isEqualTo(inBom);
    assertThat(templates).as("the project template is a published module").isNotEmpty();
    assertThat(inBom)
        .as("a project template is no dependency: not in the BOM")
        .doesNotContainAnyElementsOf(templates);
  }

  private static List<Element> managed(Document pom) {
    Element management = child(pom.getDocumentElement(), "dependencyManagement");
    assertThat(management).isNotNull();
    return children(child(management, "dependencies"), "dependency");
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new UncheckedIOException(new IOException("no README.md and docs/ above " + dir));
  }
}
