package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.jobs.TranslationResult;
import org.d2l.rnn.jobs.TranslationSettings;
import org.d2l.rnn.seq2seq.DecoderVertex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains d2l 9.7's encoder–decoder on fra-eng, translates d2l's test sentences, exports the model. */
@Command(name = "train-seq2seq", mixinStandardHelpOptions = true,
        description = "Train the RNN encoder-decoder (d2l 9.7) on fra-eng and export it as a DL4J zip.")
final class TrainSeq2SeqCommand implements Callable<Integer> {
    @Mixin
    DataCommandOptions io;
    @Mixin
    TranslationDataOptions pairs;

    @Option(names = "--num-steps", description = "Pad or cut sentences to this length (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", description = "Minibatch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--embedding", description = "Embedding size (default ${DEFAULT-VALUE}).")
    int embedding;
    @Option(names = "--hidden", description = "GRU hidden units (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", description = "GRU layers in encoder and decoder (default ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--dropout", description = "Dropout between GRU layers (default ${DEFAULT-VALUE}).")
    double dropout;
    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--clip", description = "Global gradient-norm threshold θ, 0 = none (default ${DEFAULT-VALUE}).")
    double clip;
    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--beam", description = "Beam size for the test translations (default ${DEFAULT-VALUE}).")
    int beam;
    @Option(names = "--decoder", description = "samediff (d2l's equations differentiated by SameDiff) or fused (the same GRU, hand-written backward pass) (default ${DEFAULT-VALUE}).")
    String decoder;
    @Option(names = "--seed", description = "Same seed, same numbers on CPU (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--save", paramLabel = "ZIP", defaultValue = "models/seq2seq-fra-eng.zip",
            description = "Export path (default ${DEFAULT-VALUE}).")
    Path save;

    @Override
    public Integer call() {
        TranslationSettings s = TranslationSettings.builder().optNumExamples(pairs.numExamples).optMinFreq(pairs.minFreq)
                .optSteps(steps).optBatch(batch).optEmbedding(embedding).optHidden(hidden).optLayers(layers)
                .optDropout(dropout).optLr(lr).optClip(clip).optEpochs(epochs).optBeam(beam)
                .optDecoder(Options.enumValue(DecoderVertex.Engine.class, "--decoder", decoder)).optSeed(seed)
                .optSave(save).build();
        var out = io.spec.commandLine().getOut();
        TranslationResult result = TranslationJob.run(s, io.data.hub(), out);
        io.json.print(out, result.metrics());
        return 0;
    }
}
