package dev.beesting.agent.testing;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs test classes without Maven inside the hack/vmtest.sh guests. JUnit's console launcher would do, but
 * parsing its command line alone takes half a minute under qemu's emulation.
 *
 * <p>Arguments: the test classes root, a class name regex, the directory for JUnit XML reports. Exit code 0
 * when tests ran and none failed, 1 when one failed, 2 when none matched.
 */
public final class GuestTestRunner {
    private GuestTestRunner() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: GuestTestRunner TEST_CLASSES_ROOT CLASS_NAME_REGEX REPORTS_DIR");
            System.exit(2);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(Path.of(args[0]))))
                .filters(includeClassNamePatterns(args[1]))
                .build();
        var summary = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        request,
                        summary,
                        new ProgressPrinter(out),
                        new LegacyXmlReportGeneratingListener(Path.of(args[2]), out));

        TestExecutionSummary result = summary.getSummary();
        result.printTo(out);
        result.printFailuresTo(out, 20);
        System.exit(result.getTestsFoundCount() == 0 ? 2 : result.getTotalFailureCount() > 0 ? 1 : 0);
    }

    /** One line per finished or skipped test, so the guest's console shows progress. */
    private record ProgressPrinter(PrintWriter out) implements TestExecutionListener {
        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            out.printf("SKIPPED %s: %s%n", name(test), reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                // The first line is enough here; the failures are printed in full at the end.
                String cause = result.getThrowable()
                        .map(t -> ": " + t.toString().lines().findFirst().orElse(""))
                        .orElse("");
                out.printf("%s %s%s%n", result.getStatus(), name(test), cause);
            }
        }

        private static String name(TestIdentifier test) {
            return switch (test.getSource().orElse(null)) {
                case MethodSource method -> method.getJavaClass().getSimpleName() + "." + method.getMethodName();
                case ClassSource type -> type.getClassName();
                case null, default -> test.getDisplayName();
            };
        }
    }
}
