package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the documentation's Java snippets compiling: every {@code ```java} block of README.md and
 * docs/*.md carries a marker comment {@code <!-- snippet: name -->} on the line before it and
 * equals the region {@code // tag::name[]} ... {@code // end::name[]} of a source in this module
 * (all regions of one name in one file, in order, as Asciidoctor includes them), whitespace aside;
 * a block that is not Java API use (pseudo-code) says {@code <!-- snippet: none -->}.
 */
class DocSnippetsTest {

  private static final Pattern TAG = Pattern.compile("^\\s*// tag::([\\w.-]+)\\[]\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// end::([\\w.-]+)\\[]\\s*$");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: ([\\w.-]+) -->\\s*$");
  private static final Pattern FILE = Pattern.compile("^\\s*<!-- file: ([\\w./-]+) -->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```+)(\\w*)\\s*$");

  private final Path root = repositoryRoot();

  @Test
  void everyJavaBlockInTheDocsEqualsItsCompiledRegion() throws IOException {
    Map<String, Region> regions = regions(root, root.resolve("docs-snippets/src/test/java"));
    List<String> problems = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (Path doc : documents()) {
      for (Block block : javaBlocks(doc)) {
        String where = root.relativize(doc) + ":" + block.line();
        if (block.marker() == null) {
          problems.add(
              where
                  + ": java block without a marker; put <!-- snippet: name --> on the line before"
                  + " it (a region // tag::name[] in docs-snippets), or <!-- snippet: none --> for"
                  + " pseudo-code");
          continue;
        }
        if (block.marker().equals("none")) {
          continue;
        }
        Region region = regions.get(block.marker());
        if (region == null) {
          problems.add(where + ": no region '" + block.marker() + "' in docs-snippets");
          continue;
        }
        used.add(block.marker());
        String expected = normalise(region.text());
        String actual = normalise(block.text());
        if (!expected.equals(actual)) {
          int at = firstDifference(expected, actual);
          problems.add(
              where
                  + ": snippet '"
                  + block.marker()
                  + "' differs from "
                  + region.source()
                  + " at normalised character "
                  + at
                  + "\n    docs:   ..."
                  + excerpt(actual, at)
                  + "\n    source: ..."
                  + excerpt(expected, at));
        }
      }
    }
    for (Path doc : documents()) {
      problems.addAll(fileBlockProblems(doc));
    }
    for (Map.Entry<String, Region> region : regions.entrySet()) {
      if (!used.contains(region.getKey())) {
        problems.add(
            region.getValue().source() + ": region '" + region.getKey() + "' is in no document");
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " documentation snippet problem(s):\n" + String.join("\n", problems));
    }
  }

  @Test
  void whitespaceIsNormalisedButTokensAreNot() {
    assertThat(normalise("a.b(\n    c,  d)\n")).isEqualTo(normalise("a.b(c, d)"));
    assertThat(normalise("int x = 1;")).isNotEqualTo(normalise("intx = 1;"));
  }

  @Test
  void findsJavaBlocksWithAndWithoutMarkersAndSkipsOtherLanguages(@TempDir Path dir)
      throws IOException {
    Path doc = dir.resolve("page.md");
    Files.writeString(
        doc,
        String.join(
            "\n",
            "<!-- snippet: one -->",
            "```java",
            "int a = 1;",
            "```",
            "```yaml",
            "a: 1",
            "```",
            "  ```java",
            "  int b = 2;",
            "  ```",
            "````",
            "```java",
            "not java: an example inside a longer fence",
            "```",
            "````"));
    assertThat(javaBlocks(doc))
        .containsExactly(new Block(2, "one", "int a = 1;"), new Block(8, null, "  int b = 2;"));
  }

  /**
   * Blocks of any language marked {@code <!-- file: path -->} (a path from the repository root)
   * equal that file line for line (trailing spaces aside; indentation counts in YAML): example
   * configuration files that tests read.
   */
  private List<String> fileBlockProblems(Path doc) throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      Matcher file = FILE.matcher(lines.get(i - 1));
      if (!file.matches() || !FENCE.matcher(lines.get(i)).matches()) {
        continue;
      }
      int end = closing(lines, i + 1, fenceOf(lines.get(i)));
      String where = root.relativize(doc) + ":" + (i + 1);
      Path source = root.resolve(file.group(1));
      if (!Files.isRegularFile(source)) {
        problems.add(where + ": no file " + file.group(1));
        continue;
      }
      String expected = trimLines(Files.readString(source, StandardCharsets.UTF_8));
      String actual = trimLines(String.join("\n", lines.subList(i + 1, end)));
      if (!expected.equals(actual)) {
        int at = firstDifference(expected, actual);
        problems.add(
            where
                + ": block differs from "
                + file.group(1)
                + "\n    docs: ..."
                + excerpt(actual, at)
                + "\n    file: ..."
                + excerpt(expected, at));
      }
    }
    return problems;
  }

  private List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  record Block(int line, String marker, String text) {}

  record Region(String source, String text) {}

  /** The fenced java blocks of a Markdown file, with the marker on the line before each. */
  static List<Block> javaBlocks(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int end = closing(lines, i + 1, open.group(1));
      if (open.group(2).equals("java")) {
        Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
        String name = marker != null && marker.matches() ? marker.group(1) : null;
        blocks.add(new Block(i + 1, name, String.join("\n", lines.subList(i + 1, end))));
      }
      i = end;
    }
    return blocks;
  }

  /** The line index of the fence that closes one opened with {@code fence} (as long or longer). */
  private static int closing(List<String> lines, int from, String fence) {
    int end = from;
    while (end < lines.size()) {
      Matcher close = FENCE.matcher(lines.get(end));
      if (close.matches()
          && close.group(2).isEmpty()
          && close.group(1).length() >= fence.length()) {
        break;
      }
      end++;
    }
    return end;
  }

  private static String fenceOf(String line) {
    Matcher open = FENCE.matcher(line);
    return open.matches() ? open.group(1) : "```";
  }

  /** Every tagged region in the Java sources under a directory, by name. */
  static Map<String, Region> regions(Path root, Path sources) throws IOException {
    Map<String, Region> regions = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      Map<String, StringBuilder> inFile = new LinkedHashMap<>();
      Set<String> open = new LinkedHashSet<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher tag = TAG.matcher(line);
        Matcher end = END.matcher(line);
        if (tag.matches()) {
          open.add(tag.group(1));
          inFile.computeIfAbsent(tag.group(1), k -> new StringBuilder());
        } else if (end.matches()) {
          open.remove(end.group(1));
        } else {
          for (String name : open) {
            inFile.get(name).append(line).append('\n');
          }
        }
      }
      String source = root.relativize(file).toString();
      for (Map.Entry<String, StringBuilder> region : inFile.entrySet()) {
        Region previous =
            regions.put(region.getKey(), new Region(source, region.getValue().toString()));
        if (previous != null) {
          throw new IllegalStateException(
              "region '" + region.getKey() + "' in both " + previous.source() + " and " + source);
        }
      }
    }
    return regions;
  }

  /**
   * Drops whitespace, keeping one space only where it separates two identifier characters, so that
   * line breaks and indentation (the formatter's or the page's) do not count.
   */
  static String normalise(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace
          && Character.isJavaIdentifierPart(out.charAt(out.length() - 1))
          && Character.isJavaIdentifierPart(c)) {
        out.append(' ');
      }
      pendingSpace = false;
      out.append(c);
    }
    return out.toString();
  }

  private static String trimLines(String text) {
    return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
  }

  private static int firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  private static String excerpt(String text, int at) {
    int from = Math.max(0, at - 40);
    return text.substring(from, Math.min(text.length(), at + 60));
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new UncheckedIOException(new IOException("no README.md and docs/ above " + dir));
  }
}
