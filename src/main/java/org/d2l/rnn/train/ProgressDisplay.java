package org.d2l.rnn.train;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress bar of long work (not to be confused with {@link TrainingProgress}, a run's state in a checkpoint):
 * a live bar on a terminal, plain log lines otherwise (CI logs, pipes), so output stays readable in both.
 */
public final class ProgressDisplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressDisplay.class);
    private final ProgressBar bar;

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    public static ProgressDisplay start(String task, long total, String unit) {
        return start(task, total, unit, 0);
    }

    /** A bar that starts at {@code done} of {@code total}, e.g. for a resumed run. */
    public static ProgressDisplay start(String task, long total, String unit, long done) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .startsFrom(done, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(220); // room for the memory in the status
        if (System.console() == null) {
            // not a terminal: one log line per update interval instead of carriage-return redraws
            b.setConsumer(new DelegatingProgressBarConsumer(LOG::info)).setUpdateIntervalMillis(10_000);
        }
        return new ProgressDisplay(b.build());
    }

    public void step(String status) {
        bar.setExtraMessage(" " + status);
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
