package io.frameflow.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test's external tool (promtool, prometheus, chromium): a developer without it sees the test
 * skipped with how to install it; under CI ({@code CI=true}, where {@code .ci/run} installs every
 * tool) a missing tool fails the test instead of letting it pass silently.
 */
public final class RequiredTool {

    private RequiredTool() {}

    public static void require(boolean present, String howToInstall) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and a required tool is missing: " + howToInstall);
        }
        Assumptions.assumeTrue(false, howToInstall);
    }
}
