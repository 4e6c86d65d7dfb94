package dev.stability.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A few lines of JDK HTTP client for the narration: status and body of each call. */
final class DemoHttp {
  private final URI base;
  private final HttpClient client = HttpClient.newHttpClient();

  DemoHttp(URI base) {
    this.base = base;
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + abbreviate(response.body());
  }

  /** The whole body of a GET, whatever its status. */
  String body(String path) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  long lines(String path) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines()
        .count();
  }

  String post(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + abbreviate(response.body());
  }

  private static String abbreviate(String body) {
    return body.length() > 160 ? body.substring(0, 157) + "..." : body;
  }
}
