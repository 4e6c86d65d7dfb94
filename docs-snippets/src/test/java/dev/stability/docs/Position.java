package dev.stability.docs;

/** A position record, as the consistency snippet digests it. */
record Position(String account, String instrument, long longQty, long avgPriceUnscaled) {}
