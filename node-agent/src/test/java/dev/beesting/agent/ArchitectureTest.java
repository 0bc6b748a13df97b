package dev.beesting.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The import rules between the agent's packages (STYLE.md "Who may import whom"), checked on the main classes. */
class ArchitectureTest {
    private static final String AGENT = "dev.beesting.agent";
    private static final String DETECT = AGENT + ".detect..";
    private static final String NRI = AGENT + ".nri..";
    private static final String NRI_WIRE = AGENT + ".nri.wire..";
    private static final String NRI_TTRPC = AGENT + ".nri.ttrpc..";
    private static final String NRI_PLUGIN = AGENT + ".nri.plugin..";
    private static final String TOKENS = AGENT + ".tokens..";
    private static final String ALERTS = AGENT + ".alerts..";
    private static final String KUBE = AGENT + ".kube..";
    private static final String NODE = AGENT + ".node..";
    private static final String STANDALONE = AGENT + ".standalone..";
    private static final String SYS = AGENT + ".sys..";
    private static final String FABRIC8 = "io.fabric8..";

    private static JavaClasses agent;

    @BeforeAll
    static void importAgent() {
        agent = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(AGENT);
    }

    @Test
    void detectionKnowsNothingOfTheRuntimeTheClusterOrWhatATokenMeans() {
        noClasses()
                .that()
                .resideInAPackage(DETECT)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NRI, KUBE, TOKENS, ALERTS, NODE, STANDALONE, FABRIC8)
                .check(agent);
    }

    @Test
    void nriStubCallsItsHandlerAndKnowsNothingElseOfTheAgent() {
        noClasses()
                .that()
                .resideInAPackage(NRI)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(DETECT, TOKENS, KUBE, ALERTS, NODE, STANDALONE, FABRIC8)
                .check(agent);
    }

    /** The NRI stub in layers (containerd/nri's pkg/net/multiplex, ttrpc, pkg/stub): each looks only down. */
    @Test
    void nriLayersLookOnlyDown() {
        noClasses()
                .that()
                .resideInAPackage(NRI_WIRE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NRI_TTRPC, NRI_PLUGIN)
                .check(agent);
        noClasses()
                .that()
                .resideInAPackage(NRI_TTRPC)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(NRI_PLUGIN)
                .check(agent);
    }

    @Test
    void tokenStoreSpeaksTheModelNotTheRuntimesWireTypes() {
        noClasses()
                .that()
                .resideInAPackage(TOKENS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NRI, KUBE, ALERTS, NODE, STANDALONE, FABRIC8)
                .check(agent);
    }

    @Test
    void alertsKnowNeitherTheRuntimeNorTheCluster() {
        noClasses()
                .that()
                .resideInAPackage(ALERTS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NRI, KUBE, NODE, STANDALONE, FABRIC8)
                .check(agent);
    }

    @Test
    void onlyKubeTalksToTheApiServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage(KUBE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(FABRIC8)
                .check(agent);
    }

    /**
     * A local variable's type is not in the class file, so a client only passed from one kube call to another is no
     * dependency to the rule above; the signatures of what a class calls and reads show it.
     */
    @Test
    void onlyKubeHandlesApiServerTypes() {
        noClasses()
                .that()
                .resideOutsideOfPackage(KUBE)
                .should(accessMembersWhoseSignatureNames(FABRIC8))
                .check(agent);
    }

    @Test
    void retryArithmeticKnowsNothingOfTheAgent() {
        noClasses()
                .that()
                .resideInAPackage(AGENT + ".retry..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(DETECT, NRI, TOKENS, ALERTS, KUBE, NODE, STANDALONE, SYS, AGENT + ".metrics..")
                .check(agent);
    }

    @Test
    void nativeAccessKnowsNothingOfTheAgent() {
        noClasses()
                .that()
                .resideInAPackage(SYS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(DETECT, NRI, TOKENS, ALERTS, KUBE, NODE, STANDALONE, AGENT + ".metrics..")
                .check(agent);
    }

    /** The token store reaches libc through {@code sys/}, never with FFM plumbing of its own. */
    @Test
    void tokenStoreCallsNativeCodeOnlyThroughSys() {
        noClasses()
                .that()
                .resideInAPackage(TOKENS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("java.lang.foreign..")
                .check(agent);
    }

    @Test
    void standaloneModeRunsWithoutNriAndKube() {
        noClasses()
                .that()
                .resideInAPackage(STANDALONE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NRI, KUBE, NODE)
                .check(agent);
    }

    /**
     * Objects ask each other for work through methods: no class of the agent reads or writes another one's mutable
     * state. (The API's beans are plain Jackson beans with public fields.)
     */
    @Test
    void noClassReachesIntoAnotherClassesFields() {
        noClasses().should(accessInstanceFieldsOfAnotherClass()).check(agent);
    }

    @Test
    void theModelKnowsNothingOfTheAgent() {
        noClasses()
                .that()
                .resideInAPackage(AGENT + ".model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(DETECT, NRI, TOKENS, ALERTS, KUBE, NODE, STANDALONE, SYS, FABRIC8)
                .check(agent);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching(AGENT + ".(*)..").should().beFreeOfCycles().check(agent);
    }

    @Test
    void noCyclesBetweenSubPackages() {
        slices().matching(AGENT + ".(**)").should().beFreeOfCycles().check(agent);
    }

    private static ArchCondition<JavaClass> accessMembersWhoseSignatureNames(String packageIdentifier) {
        return new ArchCondition<>("access members whose signature names a type in " + packageIdentifier) {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaAccess<?> access : javaClass.getAccessesFromSelf()) {
                    List<JavaClass> types = new ArrayList<>();
                    if (access instanceof JavaFieldAccess field) {
                        types.add(field.getTarget().getRawType());
                    } else if (access.getTarget() instanceof CodeUnitAccessTarget unit) {
                        types.add(unit.getRawReturnType());
                        types.addAll(unit.getRawParameterTypes());
                    }
                    for (JavaClass type : types) {
                        if (type.getPackageName().startsWith(packageIdentifier.replace("..", ""))) {
                            events.add(SimpleConditionEvent.satisfied(
                                    access, access.getDescription() + " names " + type.getName()));
                        }
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> accessInstanceFieldsOfAnotherClass() {
        return new ArchCondition<>("access instance fields of another class") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaFieldAccess access : javaClass.getFieldAccessesFromSelf()) {
                    boolean constant = access.getTarget()
                            .resolveMember()
                            .map(f -> f.getModifiers().contains(JavaModifier.STATIC)
                                    && f.getModifiers().contains(JavaModifier.FINAL))
                            .orElse(true);
                    if (!constant
                            && access.getTargetOwner().getPackageName().startsWith(AGENT)
                            && !topLevel(access.getTargetOwner()).equals(topLevel(javaClass))) {
                        events.add(SimpleConditionEvent.satisfied(access, access.getDescription()));
                    }
                }
            }
        };
    }

    private static JavaClass topLevel(JavaClass javaClass) {
        JavaClass top = javaClass;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
