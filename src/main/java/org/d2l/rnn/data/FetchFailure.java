package org.d2l.rnn.data;

/**
 * Why one source (mirror or public URL) could not deliver a good copy of a file. {@link DataHub} then tries
 * the next source, and if none works reports all failures in one {@link org.d2l.rnn.UserError}.
 * The message is a one-line clause such as {@code could not download x.txt from <url> (HTTP 404)}.
 */
final class FetchFailure extends Exception {

    private final boolean networkProblem;

    FetchFailure(String message, boolean networkProblem) {
        super(message);
        this.networkProblem = networkProblem;
    }

    /** True when the cause looks like missing or flaky connectivity, so the hint can say "no network?". */
    boolean isNetworkProblem() {
        return networkProblem;
    }
}
