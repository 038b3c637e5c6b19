package org.d2l.rnn.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.text.Vocab;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained model as one DL4J zip: the ComputationGraph with its updater state (ModelSerializer's format, so
 * plain DL4J can read it), plus its vocabularies ({@code <role>.json}: {@value #VOCAB} for a language model,
 * {@value #SOURCE_VOCAB} and {@value #TARGET_VOCAB} for a translation model) and {@value #CARD} (provenance) as
 * objects inside the zip. Written to a temp file and renamed, so a crash or a concurrent export never leaves a
 * broken zip.
 */
public record ModelBundle(ComputationGraph graph, Map<String, Vocab> vocabularies, ModelCard card) {
    public static final String VOCAB = "vocab";
    public static final String SOURCE_VOCAB = "source-vocab";
    public static final String TARGET_VOCAB = "target-vocab";
    static final String CARD = "model-card.json";

    /** A language model: one vocabulary. */
    public ModelBundle(StatefulGraph net, Vocab vocab, ModelCard card) {
        this(net, Map.of(VOCAB, vocab), card);
    }

    /** The network as a language model that can carry state ({@link StatefulGraph}). */
    public StatefulGraph net() {
        return StatefulGraph.of(graph);
    }

    /** The language model's vocabulary. */
    public Vocab vocab() {
        return vocab(VOCAB);
    }

    public Vocab vocab(String role) {
        return vocabularies.get(role);
    }

    public void save(Path target) {
        save(target, Map.of());
    }

    /**
     * Saves with further named JSON objects inside the zip (a checkpoint's training progress), written in the same
     * atomic step.
     */
    public void save(Path target, Map<String, String> extraObjects) {
        AtomicFiles.writeFile(target, tmp -> {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            for (Map.Entry<String, Vocab> v : vocabularies.entrySet()) {
                ModelSerializer.addObjectToFile(tmp.toFile(), v.getKey() + ".json", v.getValue().toJson());
            }
            ModelSerializer.addObjectToFile(tmp.toFile(), CARD, card.toJson());
            for (Map.Entry<String, String> o : extraObjects.entrySet()) {
                ModelSerializer.addObjectToFile(tmp.toFile(), o.getKey(), o.getValue());
            }
        });
    }

    private static List<String> roles(String task) {
        return ModelCard.LANGUAGE_MODEL.equals(task) ? List.of(VOCAB) : List.of(SOURCE_VOCAB, TARGET_VOCAB);
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
        if (objects == null || !objects.contains(CARD)) {
            throw notOurs(zip, "no " + CARD + " inside");
        }
        ModelCard card = ModelCard.fromJson(ModelSerializer.getObjectFromFile(zip.toFile(), CARD), zip.toString());
        if (!task.equals(card.task())) {
            throw new UserError(zip + " is a " + card.task() + " model, not a " + task + " model; give a model exported by "
                    + (ModelCard.LANGUAGE_MODEL.equals(task) ? "train-lm" : "train-seq2seq"));
        }
        Map<String, Vocab> vocabularies = new LinkedHashMap<>();
        for (String role : roles(task)) {
            if (!objects.contains(role + ".json")) {
                throw notOurs(zip, "no " + role + ".json inside");
            }
            vocabularies.put(role, Vocab.fromJson(ModelSerializer.getObjectFromFile(zip.toFile(), role + ".json")));
        }
        ComputationGraph net;
        try {
            net = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw notOurs(zip, "its network cannot be restored: " + e.getClass().getSimpleName());
        }
        // a language model comes back as a StatefulGraph once, so net() hands out the same network every time
        return new ModelBundle(ModelCard.LANGUAGE_MODEL.equals(task) ? StatefulGraph.of(net) : net, vocabularies, card);
    }

    /** A named object saved with {@link #save(Path, Map)}, or {@code null} if the zip has none by that name. */
    public static String extraObject(Path zip, String name) {
        List<String> objects = ModelSerializer.listObjectsInFile(zip.toFile());
        return objects != null && objects.contains(name) ? ModelSerializer.getObjectFromFile(zip.toFile(), name) : null;
    }

    private static UserError notOurs(Path zip, String why) {
        return new UserError(zip + " is not a model exported by this project (" + why
                + "); re-export it with train-lm --save or train-seq2seq --save");
    }
}
