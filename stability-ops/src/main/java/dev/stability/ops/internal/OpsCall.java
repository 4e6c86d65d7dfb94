package dev.stability.ops.internal;

import java.io.IOException;

/**
 * One request as the routes see it, independent of the server library.
 *
 * @param method the HTTP method
 * @param path the decoded path
 * @param rawQuery the query string as sent, or null
 * @param authorization the Authorization header, or null
 * @param client the client's address
 * @param body reads a form body within the size limit, or null when the request has none
 */
record OpsCall(
    String method,
    String path,
    String rawQuery,
    String authorization,
    String client,
    FormBody body) {

  /** Reads the body of a form post. */
  interface FormBody {
    /** The body as text, or null when the request is not a form. */
    String read() throws IOException;
  }
}
