package dev.stability.docs;

// tag::my-codes[]
import dev.stability.api.event.Category;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.Level;

enum MyCodes implements EventCode.OfEnum {
  ORDER_REJECTED(
      new Spec(Category.BUSINESS, Level.WARN, "an order was refused; the record says why"));

  private final Spec spec;

  MyCodes(Spec spec) {
    this.spec = spec;
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
// end::my-codes[]
