package io.torrin.testkit.http;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the Torrin protocol conformance suite against a running server:
 * {@code java -cp torrin-test-kit.jar:... io.torrin.testkit.http.ConformanceMain http://host:8080/torrin/uploads}.
 * Exits 0 when every test passed, 1 otherwise.
 */
public final class ConformanceMain {

    private ConformanceMain() {
    }

    /**
     * Runs the suite.
     *
     * @param args the mount URL
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ConformanceMain <mount-url>, e.g. http://localhost:8080/torrin/uploads");
            System.exit(2);
        }
        System.setProperty(RemoteTorrinConformance.URL_PROPERTY, args[0]);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(RemoteTorrinConformance.class)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printFailuresTo(new PrintWriter(System.out), 20);
        System.out.printf("%d passed, %d failed%n", summary.getTestsSucceededCount(), summary.getTestsFailedCount());
        System.exit(summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
