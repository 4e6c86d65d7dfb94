package dev.stability.docs;

/** An order, as the snippets use it. */
record Order(String id) {}
