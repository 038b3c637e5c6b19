package org.d2l.rnn.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.io.Json;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.train.TrainingProgress;

/**
 * A language-model checkpoint: an ordinary model zip ({@link ModelBundle}: network, updater state, vocabulary,
 * card; {@code generate} can read it) plus {@value #OBJECT}, the run's settings and progress, so {@code --resume}
 * continues where it stopped.
 */
public record LmCheckpoint(ModelBundle bundle, State state) {
    static final String OBJECT = "checkpoint.json";
    /**
     * Maps whose keys are data, not field names (layer names, DL4J's state keys): left as they are when the keys of
     * a checkpoint written before the one JSON naming (camelCase, up to 2026-12) are read as snake_case.
     */
    private static final List<String> DATA_KEYED = List.of("progress.carried_state");

    /** What a resumed run needs besides the network. */
    public record State(LmSettings settings, TrainingProgress progress, List<LmResult.EpochSample> samples) {
    }

    public void save(Path target) {
        try {
            bundle.save(target, Map.of(OBJECT, Json.SNAKE_CASE.writeValueAsString(state)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write checkpoint state", e);
        }
    }

    public static LmCheckpoint load(Path zip) {
        ModelBundle bundle = ModelBundle.load(zip, ModelCard.LANGUAGE_MODEL);
        return new LmCheckpoint(bundle, state(zip));
    }

    /** The settings and progress alone, without restoring the network (what a resumed run is to do). */
    public static State state(Path zip) {
        if (!java.nio.file.Files.isRegularFile(zip)) {
            throw new UserError("checkpoint " + zip + " not found; give a file written with --checkpoint-every");
        }
        String json;
        try {
            json = ModelBundle.extraObject(zip, OBJECT);
        } catch (RuntimeException e) {
            throw new UserError(zip + " is not a readable checkpoint zip; resume from another checkpoint");
        }
        if (json == null) {
            throw new UserError(zip + " is not a checkpoint (no " + OBJECT
                    + " inside); give a file written with --checkpoint-every");
        }
        try {
            return Json.SNAKE_CASE.treeToValue(Json.snakeCaseKeys(Json.SNAKE_CASE.readTree(json), DATA_KEYED),
                    State.class);
        } catch (JsonProcessingException e) {
            throw new UserError(zip + " has an unreadable " + OBJECT + "; resume from another checkpoint");
        }
    }
}
