package org.d2l.rnn.experiments.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.io.AtomicFiles;

/** Every exercise, in book order, and the index page that links their reports. */
public final class Exercises {
    private static final List<Exercise> ALL = List.of(
            new ExerciseSineRnn(),
            new ExerciseVocabulary(),
            new ExercisePartitioning(),
            new ExerciseNumSteps(),
            new ExerciseDetach(),
            new ExerciseClipping(),
            new ExerciseRelu(),
            new ExerciseLearningRate(),
            new ExerciseTemperature(),
            new ExerciseWarOfTheWorlds(),
            new ExerciseHidden(),
            new ExerciseEmbedding(),
            new ExerciseLayers(),
            new ExerciseSeq2SeqSize(),
            new ExerciseBeam());

    private Exercises() {
    }

    public static List<Exercise> all() {
        return ALL;
    }

    /** Rewrites notebooks-export/exercises/README.md: one row per exercise, linked where its report exists. */
    public static void writeIndex(Path reportRoot) {
        StringBuilder md = new StringBuilder("# Exercises of d2l chapters 8–9\n\n"
                + "Each exercise is a command, `run exercise-<topic>`, built from the project's shared parts; its "
                + "report states the question, what was run (settings table and command), the numbers and plots, "
                + "and the answer in one paragraph drawn from those numbers. Each runs in under 10 minutes on a "
                + "2-core machine.\n\n| exercise | question | command |\n|---|---|---|\n");
        for (Exercise e : ALL) {
            String dir = e.reportDir().substring("exercises/".length());
            boolean done = Files.isRegularFile(reportRoot.resolve(e.reportDir()).resolve("README.md"));
            md.append("| ").append(done ? "[" + e.title() + "](" + dir + "/README.md)" : e.title() + " (not run yet)")
                    .append(" | ").append(e.question().replace("|", "\\|")).append(" | `run ").append(e.name())
                    .append("` |\n");
        }
        Path index = reportRoot.resolve("exercises").resolve("README.md");
        try {
            Files.createDirectories(index.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeFile(index, tmp -> Files.writeString(tmp, md, StandardCharsets.UTF_8));
    }
}
