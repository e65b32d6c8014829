package dev.mcpgw.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's shape, checked on its compiled main classes: no package cycle, no arrow to gateway code, and a public
 * API that never hands out a type of an {@code internal} package. The fixtures under {@code architecture.fixture}
 * break each rule on purpose, so a rule that silently stopped matching anything would fail here too.
 */
class ArchitectureTest {

  private static final String FIXTURES = "dev.mcpgw.observability.architecture.fixture";

  private static JavaClasses module;

  @BeforeAll
  static void importMainClasses() {
    module = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mcpgw.observability");
  }

  @Test
  void theMainClassesOfEveryPackageAreImported() {
    assertThat(module.containPackage("dev.mcpgw.observability.internal.export")).isTrue();
    assertThat(module.contain(Observability.class)).isTrue();
    assertThat(module.stream().noneMatch(c -> c.getSimpleName().endsWith("Test"))).isTrue();
  }

  @Test
  void noPackageOfTheModuleIsPartOfACycle() {
    ArchitectureRules.noPackageCycles("dev.mcpgw").check(module);
  }

  @Test
  void observabilityNeverImportsGatewayCode() {
    ArchitectureRules.observabilityNeverDependsOnGateway().check(module);
  }

  @Test
  void noPublicApiTypeExposesATypeOfAnInternalPackage() {
    ArchitectureRules.apiExposesNoInternalType().check(module);
  }

  @Test
  void twoPackagesThatImportEachOtherAreReportedAsACycle() {
    JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURES + ".cycle");
    EvaluationResult result = ArchitectureRules.noPackageCycles(FIXTURES).evaluate(fixtures);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("cycle.a", "cycle.b");
  }

  @Test
  void aPublicSignatureNamingAnInternalTypeIsReportedAndAPrivateOneIsNot() {
    JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURES + ".leak");
    EvaluationResult result = ArchitectureRules.apiExposesNoInternalType().evaluate(fixtures);
    assertThat(result.getFailureReport().getDetails())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("LeakingApi exposes", "Hidden in hidden"))
        .anySatisfy(line -> assertThat(line).contains("LeakingApi exposes", "Hidden in take"))
        .anySatisfy(line -> assertThat(line).contains("LeakingApi exposes", "Hidden as a supertype"))
        .noneSatisfy(line -> assertThat(line).contains("kept"));
  }
}
