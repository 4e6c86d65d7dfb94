package dev.stability.examples;

import dev.stability.api.event.Category;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.Level;

/** The example application's own event codes, declared once like the SDK's catalog. */
public enum DemoCodes implements EventCode.OfEnum {
  /** An order passed validation and risk and was accepted. */
  ORDER_ACCEPTED(Category.BUSINESS, Level.INFO, "An order passed validation and was accepted."),
  /** An order was rejected. */
  ORDER_REJECTED(Category.BUSINESS, Level.WARN, "An order was rejected; reason in msg.");

  private final Spec spec;

  DemoCodes(Category category, Level level, String meaning) {
    this.spec = new Spec(category, level, meaning);
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
