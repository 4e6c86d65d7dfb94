package dev.stability.docs;

/** An outbound client, as the snippets use it. */
interface ExchangeLink {
  Ack send(Order order) throws java.io.IOException;
}
