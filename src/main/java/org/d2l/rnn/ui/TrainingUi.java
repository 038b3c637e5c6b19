package org.d2l.rnn.ui;

import org.d2l.rnn.UserError;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * DL4J's training UI ({@code deeplearning4j-ui}): a local web server showing score, gradients, updates and
 * update:parameter ratios live. Attach {@link #listener()} to the network being trained.
 */
public final class TrainingUi {
    private final VertxUIServer server;
    private final StatsStorage storage = new InMemoryStatsStorage();

    private TrainingUi(VertxUIServer server) {
        this.server = server;
        server.attach(storage);
    }

    /** Starts the server on {@code port} (one per JVM: a second call reuses it). */
    public static TrainingUi start(int port) {
        if (port < 1 || port > 65535) {
            throw new UserError("--ui-port must be between 1 and 65535, got " + port);
        }
        try {
            return new TrainingUi(VertxUIServer.getInstance(port, false, null));
        } catch (RuntimeException e) {
            throw new UserError("the training UI cannot start on port " + port + " (" + rootMessage(e)
                    + "); choose a free one with --ui-port");
        }
    }

    /** The page of the run overview. */
    public String url() {
        return server.getAddress() + "/train/overview";
    }

    /** Sends score, parameter, gradient and update statistics of every iteration to the UI. */
    public TrainingListener listener() {
        return new StatsListener(storage, 1);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
