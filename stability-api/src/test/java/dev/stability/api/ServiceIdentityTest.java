package dev.stability.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceIdentityTest {

  private static ServiceIdentity.Builder valid() {
    return ServiceIdentity.builder().systemCode("OMS").subsystem("order-entry").instanceId("a1");
  }

  @Test
  void buildsWithDefaultsForSiteRoleAndGrade() {
    ServiceIdentity identity = valid().build();

    assertThat(identity.site()).isEqualTo(Site.PRIMARY_DC);
    assertThat(identity.role()).isEqualTo(Role.PRIMARY);
    assertThat(identity.grade()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} = ''{1}'' is refused")
  @CsvSource({
    "systemCode, 'OMS PROD', must contain only letters",
    "systemCode, '-OMS', start with a letter or digit",
    "subsystem, 'order/entry', must contain only letters",
    "instanceId, '', length must be 1..64",
    "instanceId, 'a\nb', must contain only letters",
  })
  void invalidNameIsRefusedWithFieldValueAndRule(String field, String value, String rule) {
    ServiceIdentity.Builder builder = valid();
    switch (field) {
      case "systemCode" -> builder.systemCode(value);
      case "subsystem" -> builder.subsystem(value);
      default -> builder.instanceId(value);
    }

    assertThatThrownBy(builder::build)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("ServiceIdentity." + field + " = '")
        .hasMessageContaining(rule)
        .satisfies(
            e -> {
              ConfigurationException config = (ConfigurationException) e;
              assertThat(config.key()).isEqualTo("ServiceIdentity." + field);
              assertThat(config.value()).isEqualTo(value);
            });
  }

  @Test
  void controlCharactersInRejectedValueAreShownEscaped() {
    assertThatThrownBy(() -> valid().instanceId("a\nb").build())
        .hasMessage(
            "ServiceIdentity.instanceId = 'a\\u000ab': must contain only letters, digits, '_',"
                + " '.', '-' and start with a letter or digit");
  }

  @Test
  void tooLongSystemCodeIsRefused() {
    assertThatThrownBy(() -> valid().systemCode("X".repeat(33)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ServiceIdentity.systemCode")
        .hasMessageContaining("length must be 1..32");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> ServiceIdentity.builder().subsystem("s").instanceId("i").build())
        .hasMessage("ServiceIdentity.systemCode = null: must be set");
    assertThatThrownBy(() -> valid().site(null).build())
        .hasMessage("ServiceIdentity.site = null: must be set");
    assertThatThrownBy(() -> valid().role(null).build())
        .hasMessage("ServiceIdentity.role = null: must be set");
  }

  @ParameterizedTest
  @CsvSource({"0", "5", "-1"})
  void gradeOutsideOneToFourIsRefused(int grade) {
    assertThatThrownBy(() -> valid().grade(grade).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("ServiceIdentity.grade = " + grade + ": must be between 1 (highest) and 4");
  }

  @Test
  void withRoleKeepsEverythingElse() {
    ServiceIdentity primary = valid().grade(2).build();

    ServiceIdentity standby = primary.withRole(Role.STANDBY);

    assertThat(standby.role()).isEqualTo(Role.STANDBY);
    assertThat(standby).usingRecursiveComparison().ignoringFields("role").isEqualTo(primary);
  }
}
