package org.d2l.rnn.cli;

import picocli.CommandLine.Option;

/** d2l 9.5's data knobs, shared by {@code mt-data} and {@code train-seq2seq}. */
final class TranslationDataOptions {
    @Option(names = "--num-examples", description = "Pairs to read, 0 = all (default ${DEFAULT-VALUE}).")
    int numExamples;
    @Option(names = "--min-freq", description = "Rarer words become <unk> (default ${DEFAULT-VALUE}).")
    int minFreq;
}
