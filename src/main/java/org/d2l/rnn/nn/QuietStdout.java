package org.d2l.rnn.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs a call with standard output discarded. Why: M2.1's {@code SameDiff.createGradFunction} prints one
 * "Added differentiated op ..." line per op with {@code System.out.println} (not a logger), so building the
 * gradient graph of one unrolled 35-step scratch model printed ~350 lines into a training run's output.
 * Used only around that one-time step; anything else printed meanwhile by the same JVM is lost, so keep it short.
 */
public final class QuietStdout {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private QuietStdout() {
    }

    public static synchronized <T> T call(Supplier<T> call) {
        PrintStream out = System.out;
        System.setOut(DISCARD);
        try {
            return call.get();
        } finally {
            System.setOut(out);
        }
    }
}
