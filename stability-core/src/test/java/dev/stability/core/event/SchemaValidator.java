package dev.stability.core.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** Validates lines against the published schema resource with an independent validator. */
public final class SchemaValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private SchemaValidator() {}

  private static JsonSchema load() {
    // Through the class loader: the schema is a resource of stability-api, which opens its
    // package; Class.getResourceAsStream would look in this module only.
    try (InputStream in =
        SchemaValidator.class
            .getClassLoader()
            .getResourceAsStream("dev/stability/api/event/log-record-v1.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Set<ValidationMessage> validate(String line) {
    try {
      return SCHEMA.validate(JSON.readTree(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
