package dev.stability.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogSchemaResourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode schemaNode() throws Exception {
    try (InputStream in =
        LogSchemaResourceTest.class.getResourceAsStream(
            "/dev/stability/api/event/log-record-v1.schema.json")) {
      return JSON.readTree(in);
    }
  }

  private static Set<ValidationMessage> validate(String json) throws Exception {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode());
    return schema.validate(JSON.readTree(json));
  }

  @Test
  void schemaPropertiesAreTheLogFieldsInCanonicalOrder() throws Exception {
    List<String> properties = new ArrayList<>();
    schemaNode().get("properties").fieldNames().forEachRemaining(properties::add);
    List<String> fields = new ArrayList<>();
    for (LogField field : LogField.values()) {
      fields.add(field.key());
    }
    assertThat(properties).containsExactlyElementsOf(fields);
  }

  @Test
  void schemaRequiredFieldsAreTheRequiredLogFields() throws Exception {
    List<String> required = new ArrayList<>();
    schemaNode().get("required").forEach(node -> required.add(node.asText()));
    List<String> fields = new ArrayList<>();
    for (LogField field : LogField.values()) {
      if (field.required()) {
        fields.add(field.key());
      }
    }
    assertThat(required).containsExactlyElementsOf(fields);
  }

  private static final String VALID =
      "{\"ts\":\"2026-11-24T09:30:00.000123+08:00\",\"level\":\"INFO\",\"category\":\"SYSTEM\","
          + "\"system\":\"OMS\",\"instance\":\"a1\",\"site\":\"PRIMARY_DC\",\"role\":\"PRIMARY\","
          + "\"code\":\"RUNTIME_STARTED\",\"seq\":\"a1-1\",\"msg\":\"started\"}";

  @Test
  void minimalRecordIsValid() throws Exception {
    assertThat(validate(VALID)).isEmpty();
  }

  @Test
  void timestampWithoutMicrosecondsIsInvalid() throws Exception {
    assertThat(validate(VALID.replace(".000123+08:00", ".123+08:00"))).isNotEmpty();
  }

  @Test
  void unknownFieldIsInvalid() throws Exception {
    assertThat(validate(VALID.replace("\"msg\"", "\"extra\":\"x\",\"msg\""))).isNotEmpty();
  }

  @Test
  void missingRequiredFieldIsInvalid() throws Exception {
    assertThat(validate(VALID.replace("\"seq\":\"a1-1\",", ""))).isNotEmpty();
  }

  @Test
  void interfaceRecordNeedsInterfaceDurationAndOutcome() throws Exception {
    String iface = VALID.replace("\"SYSTEM\"", "\"INTERFACE\"");
    assertThat(validate(iface)).isNotEmpty();
    String complete =
        iface.replace(
            "\"msg\":\"started\"",
            "\"msg\":\"ok\",\"interface\":\"risk.check\",\"duration_us\":120,"
                + "\"outcome\":\"SUCCESS\"");
    assertThat(validate(complete)).isEmpty();
  }

  @Test
  void durationMustBeAnInteger() throws Exception {
    assertThat(validate(VALID.replace("\"msg\"", "\"duration_us\":\"12\",\"msg\""))).isNotEmpty();
  }
}
