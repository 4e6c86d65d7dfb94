package dev.stability.ops.internal;

/** A request the endpoint refuses before doing anything: answered with its status and message. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;

  BadRequest(String message) {
    this(400, message);
  }

  BadRequest(int status, String message) {
    super(message);
    this.status = status;
  }
}
