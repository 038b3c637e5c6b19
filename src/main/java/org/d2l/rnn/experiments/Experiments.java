package org.d2l.rnn.experiments;

import java.util.List;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;

/** Every runnable section, in book order. */
public final class Experiments {
    private static final List<Experiment> ALL = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            new SequenceModels(),
            new TextPreprocessing(),
            new LanguageModelsDataset(),
            new RnnScratch(),
            new RnnConcise(),
            new GruScratch(),
            new GruConcise(),
            new LstmScratch(),
            new LstmConcise(),
            new DeepRnn(),
            new BiRnn(),
            new JayChouRnn(),
            new JayChouScratch(),
            new MachineTranslation(),
            new Seq2Seq(),
            new BeamSearch(),
            new DataParallel()), org.d2l.rnn.experiments.exercises.Exercises.all().stream()).toList();

    private Experiments() {
    }

    public static List<Experiment> all() {
        return ALL;
    }

    public static Experiment byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UserError("unknown section '" + name + "'; known: "
                        + ALL.stream().map(Experiment::name).collect(Collectors.joining(", "))
                        + " (see 'list')"));
    }
}
