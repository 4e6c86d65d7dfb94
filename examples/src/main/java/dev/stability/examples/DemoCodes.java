package dev.stability.examples;

import dev.stability.api.event.Category;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.Level;

/** The example application's own event codes, declared once like the SDK's catalog. */
public enum DemoCodes implements EventCode {
  /** An order passed validation and risk and was accepted. */
  ORDER_ACCEPTED(Category.BUSINESS, Level.INFO, "An order passed validation and was accepted."),
  /** An order was rejected. */
  ORDER_REJECTED(Category.BUSINESS, Level.WARN, "An order was rejected; reason in msg.");

  private final Category category;
  private final Level level;
  private final String meaning;

  DemoCodes(Category category, Level level, String meaning) {
    this.category = category;
    this.level = level;
    this.meaning = meaning;
  }

  @Override
  public String code() {
    return name();
  }

  @Override
  public Category category() {
    return category;
  }

  @Override
  public Level level() {
    return level;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
