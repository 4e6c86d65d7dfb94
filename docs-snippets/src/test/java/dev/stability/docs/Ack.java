package dev.stability.docs;

/** An exchange's acknowledgement, as the snippets use it. */
record Ack(boolean held) {
  Ack() {
    this(false);
  }

  static Ack held(Order order) {
    return new Ack(true);
  }
}
