package org.d2l.rnn;

import org.d2l.rnn.runtime.NativeRuntime;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs once per test JVM, before any test: loads native libraries the way the CLI does (the same OpenBLAS in
 * tests, in the CLI and in the child JVMs tests start), and says when the browser tests are left out, so that a
 * run without them never looks like a run with them.
 */
public final class D2lTestSession implements LauncherSessionListener {
    /** Set by the pom from -Dbrowser.tests (default false). */
    static final String BROWSER_TESTS = "d2l.browserTests";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeRuntime.configureLoading();
        if (!Boolean.getBoolean(BROWSER_TESTS)) {
            System.err.println("browser tests off: the training UI's rendering in headless Chromium (tag \"browser\") "
                    + "runs with mvn test -Dbrowser.tests=true and Debian's chromium; .ci/run does that");
        }
    }
}
