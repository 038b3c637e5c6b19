package org.d2l.rnn.cli;

import picocli.CommandLine.Option;

/** d2l 9.5's data knobs, shared by {@code mt-data} and {@code train-seq2seq}. */
final class TranslationDataOptions {
    @Option(names = "--num-examples", defaultValue = "600", description = "Pairs to read (d2l: 600; 0 = all).")
    int numExamples;
    @Option(names = "--min-freq", defaultValue = "2", description = "Rarer words become <unk> (default ${DEFAULT-VALUE}).")
    int minFreq;
}
