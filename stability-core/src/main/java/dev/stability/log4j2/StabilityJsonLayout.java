package dev.stability.log4j2;

/**
 * The SDK's event template for Log4j2's {@code JsonTemplateLayout}: it writes SDK records and
 * ordinary statements as log schema v1 lines. The template is the resource {@code
 * StabilityJsonLayout.json} beside this class; a Log4j2 configuration names it by {@link
 * #TEMPLATE_URI}. This class exists so that the package, which holds the template, can be opened to
 * Log4j2 on the module path (a package with no class cannot be).
 */
public final class StabilityJsonLayout {

  /** The template's URI, for {@code eventTemplateUri} of {@code JsonTemplateLayout}. */
  public static final String TEMPLATE_URI =
      "classpath:dev/stability/log4j2/StabilityJsonLayout.json";

  private StabilityJsonLayout() {}
}
