package org.d2l.rnn.jobs;

import java.nio.file.Path;

/**
 * Checkpoints of a run: every {@code every} epochs (0: none) the model, its updater state, the vocabulary and the
 * training progress go atomically to {@code path}; {@code resume} continues a run from such a file.
 */
public record Checkpointing(int every, Path path, Path resume) {
    public static final Checkpointing NONE = new Checkpointing(0, null, null);

    public Checkpointing {
        if (every < 0) {
            throw new org.d2l.rnn.UserError("--checkpoint-every must be 0 (none) or more, got " + every);
        }
    }

    /** Where checkpoints of a model exported to {@code save} go by default: models/checkpoints/&lt;name&gt;. */
    public static Path defaultPath(Path save) {
        Path dir = save.toAbsolutePath().getParent();
        return dir.resolve("checkpoints").resolve(save.getFileName());
    }

    public boolean writes() {
        return every > 0;
    }
}
