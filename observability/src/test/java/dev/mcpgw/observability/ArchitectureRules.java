package dev.mcpgw.observability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module's architecture rules, shared by {@link ArchitectureTest}'s checks of the real classes and of the
 * fixtures that prove each rule reports what it should.
 */
final class ArchitectureRules {

  private ArchitectureRules() {}

  /** Every package under {@code root} is its own slice; no two of them may depend on each other in a cycle. */
  static ArchRule noPackageCycles(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }

  /** The observability module is vendor-agnostic core: it never depends on gateway code. */
  static ArchRule observabilityNeverDependsOnGateway() {
    return noClasses().that().resideInAPackage("dev.mcpgw.observability..")
        .should().dependOnClassesThat().resideInAPackage("dev.mcpgw.gateway..");
  }

  /**
   * A type reachable from outside the module (public, and every enclosing type public) that lives outside an
   * {@code internal} package is API: none of its public or protected signatures (supertypes, fields, constructors,
   * methods, with their type arguments, parameters and thrown types) may name a type of an {@code internal} package.
   */
  static ArchRule apiExposesNoInternalType() {
    return classes().that().resideOutsideOfPackage("..internal..")
        .should(new ArchCondition<JavaClass>("expose no type of an internal package in a public signature") {
          @Override
          public void check(JavaClass type, ConditionEvents events) {
            if (!reachable(type)) {
              return;
            }
            for (String leak : leaks(type)) {
              events.add(SimpleConditionEvent.violated(type, type.getName() + " exposes " + leak));
            }
          }
        });
  }

  private static boolean reachable(JavaClass type) {
    for (JavaClass c = type; c != null; c = c.getEnclosingClass().orElse(null)) {
      if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return !type.isAnonymousClass() && !type.isLocalClass();
  }

  private static Set<String> leaks(JavaClass type) {
    Set<String> leaks = new TreeSet<>();
    List<JavaType> supertypes = new ArrayList<>(type.getInterfaces());
    type.getSuperclass().ifPresent(supertypes::add);
    for (JavaType supertype : supertypes) {
      addInternal(leaks, "as a supertype", supertype.getAllInvolvedRawTypes());
    }
    for (JavaMember member : type.getMembers()) {
      Set<JavaModifier> modifiers = member.getModifiers();
      boolean visible = modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
      if (visible && !modifiers.contains(JavaModifier.SYNTHETIC) && !modifiers.contains(JavaModifier.BRIDGE)) {
        addInternal(leaks, "in " + member.getName(), member.getAllInvolvedRawTypes());
      }
    }
    return leaks;
  }

  private static void addInternal(Set<String> leaks, String where, Collection<JavaClass> involved) {
    for (JavaClass c : involved) {
      JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
      if (isInternal(base.getPackageName())) {
        leaks.add(base.getName() + " " + where);
      }
    }
  }

  private static boolean isInternal(String packageName) {
    return packageName.endsWith(".internal") || packageName.contains(".internal.");
  }
}
