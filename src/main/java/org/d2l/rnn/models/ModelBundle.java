package org.d2l.rnn.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.UserError;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.text.Vocab;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained model as one DL4J zip: the ComputationGraph with its updater state (ModelSerializer's format, so
 * plain DL4J can read it), plus {@value #VOCAB} and {@value #CARD} (provenance) as objects inside the zip.
 * Written to a temp file and renamed, so a crash or a concurrent export never leaves a broken zip.
 */
public record ModelBundle(StatefulGraph net, Vocab vocab, ModelCard card) {
    static final String VOCAB = "vocab.json";
    static final String CARD = "model-card.json";

    public void save(Path target) {
        AtomicFiles.writeFile(target, tmp -> {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), VOCAB, vocab.toJson());
            ModelSerializer.addObjectToFile(tmp.toFile(), CARD, card.toJson());
        });
    }

    /**
     * Loads a zip written by {@link #save}; {@code task} names what the caller needs it for, so a translation
     * model handed to {@code generate} is refused with a clear message.
     */
    public static ModelBundle load(Path zip, String task) {
        if (!Files.isRegularFile(zip)) {
            throw new UserError("model " + zip + " not found; train one first, e.g. train-lm --save " + zip);
        }
        List<String> objects;
        try {
            objects = ModelSerializer.listObjectsInFile(zip.toFile());
        } catch (RuntimeException e) {
            throw notOurs(zip, "not a readable zip");
        }
        if (objects == null || !objects.contains(CARD) || !objects.contains(VOCAB)) {
            throw notOurs(zip, "no " + CARD + " inside");
        }
        ModelCard card = ModelCard.fromJson(ModelSerializer.getObjectFromFile(zip.toFile(), CARD), zip.toString());
        if (!task.equals(card.task())) {
            throw new UserError(zip + " is a " + card.task() + " model, not a " + task + " model; give a model exported by "
                    + (ModelCard.LANGUAGE_MODEL.equals(task) ? "train-lm" : "train-seq2seq"));
        }
        Vocab vocab = Vocab.fromJson(ModelSerializer.getObjectFromFile(zip.toFile(), VOCAB));
        ComputationGraph net;
        try {
            net = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw notOurs(zip, "its network cannot be restored: " + e.getClass().getSimpleName());
        }
        return new ModelBundle(StatefulGraph.of(net), vocab, card);
    }

    private static UserError notOurs(Path zip, String why) {
        return new UserError(zip + " is not a model exported by this project (" + why
                + "); re-export it with train-lm --save or train-seq2seq --save");
    }
}
