package dev.stability.ops.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes query strings and form bodies within the endpoint's limits: a bounded number of
 * parameters, each value (reason, target, ...) at most so many characters. A request over a limit
 * is refused as a whole before anything runs, so nothing of it reaches the operation log.
 */
final class RequestParams {

  private static final int MAX_NAME = 64;

  private final int maxParameters;
  private final int maxFieldLength;

  RequestParams(int maxParameters, int maxFieldLength) {
    this.maxParameters = maxParameters;
    this.maxFieldLength = maxFieldLength;
  }

  /** Adds the pairs of {@code raw} to {@code into}; a later pair overrides an earlier one. */
  void decode(String raw, Map<String, String> into) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key;
      String value;
      try {
        key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("a parameter is not properly URL-encoded: " + e.getMessage());
      }
      if (key.length() > MAX_NAME) {
        throw new BadRequest(
            "a parameter name has "
                + key.length()
                + " characters; at most "
                + MAX_NAME
                + " are accepted");
      }
      checkField(key, value);
      into.put(key, value);
      if (into.size() > maxParameters) {
        throw new BadRequest(
            "the request has more than " + maxParameters + " parameters; at most so many");
      }
    }
  }

  /** Refuses a value over the field limit, naming the field. */
  void checkField(String name, String value) {
    if (value.length() > maxFieldLength) {
      throw new BadRequest(
          "parameter '"
              + name
              + "' has "
              + value.length()
              + " characters; at most "
              + maxFieldLength
              + " are accepted");
    }
  }

  Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    decode(raw, params);
    return params;
  }
}
