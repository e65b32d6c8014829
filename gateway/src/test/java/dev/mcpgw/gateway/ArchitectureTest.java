package dev.mcpgw.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway module's shape, checked on its compiled main classes: no package cycle, and only the observability
 * module's public API in use (never a type of one of its {@code internal} packages). The observability module's own
 * {@code ArchitectureTest} proves on fixtures that these rule kinds report what they should.
 */
class ArchitectureTest {

  private static JavaClasses gateway;

  @BeforeAll
  static void importMainClasses() {
    gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mcpgw.gateway");
  }

  @Test
  void theMainClassesOfTheGatewayAreImported() {
    assertThat(gateway.contain(GatewayApplication.class)).isTrue();
    assertThat(gateway.stream().noneMatch(c -> c.getSimpleName().endsWith("Test"))).isTrue();
  }

  // The layer rule of docs/developer-guide.md ("The gateway's map") implies this; issue 16 removed the last cycles
  // (catalog <-> prompt, config -> transport.upstream -> secret -> config).
  @Test
  void noPackageOfTheGatewayIsPartOfACycle() {
    slices().matching("dev.mcpgw.(**)").should().beFreeOfCycles().check(gateway);
  }

  @Test
  void theGatewayUsesOnlyThePublicApiOfObservability() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.mcpgw.observability.internal..")
        .check(gateway);
  }
}
