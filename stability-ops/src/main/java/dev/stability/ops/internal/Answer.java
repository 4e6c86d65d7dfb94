package dev.stability.ops.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the endpoint sends back for one request: status, type, body, headers, route label. */
final class Answer {

  static final ObjectMapper JSON = new ObjectMapper();

  final int status;
  final String contentType;
  final byte[] body;
  final Map<String, String> headers = new LinkedHashMap<>();
  String route;

  Answer(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  static Answer json(int status, String body) {
    return new Answer(
        status,
        "application/json; charset=utf-8",
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static Answer json(int status, Object value) {
    try {
      return json(status, JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Answer error(int status, String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", error);
    body.put("message", message);
    return json(status, body);
  }

  Answer header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Answer allow(String methods) {
    return header("Allow", methods);
  }

  /** Sets the route label once: the first, most specific one wins. */
  Answer route(String value) {
    if (route == null) {
      route = value;
    }
    return this;
  }
}
