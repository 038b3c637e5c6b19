package org.d2l.rnn.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** d2l 8.2-8.3 on any corpus: sizes, vocabulary, chosen lines as indices, and optionally a first minibatch. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Tokenize a corpus and show its size, vocabulary and chosen lines as indices.")
final class CorpusCommand implements Runnable {
    @Mixin
    DataCommandOptions io;

    @Option(names = "--dataset", required = true, paramLabel = "D",
            description = "time-machine, jay-chou, war-of-the-worlds or file:<path>")
    String dataset;

    @Option(names = "--token", defaultValue = "char", paramLabel = "char|word", description = "Token kind (default ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--min-freq", defaultValue = "0", paramLabel = "N", description = "Drop tokens seen fewer times into <unk>.")
    int minFreq;

    @Option(names = "--max-tokens", defaultValue = "-1", paramLabel = "N", description = "Keep the first N tokens (default: all).")
    int maxTokens;

    @Option(names = "--show-lines", split = ",", paramLabel = "I", description = "Line numbers to show as tokens and indices, e.g. 0,10.")
    List<Integer> showLines = List.of();

    @Option(names = "--steps", paramLabel = "T", description = "With --batch: show the first minibatch of T steps.")
    Integer steps;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "B", description = "Minibatch rows for --steps (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--sampling", defaultValue = "random", paramLabel = "random|sequential",
            description = "Partitioning for --steps (default ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--seed", description = "Random offset and order for --steps.")
    long seed;

    @Override
    public void run() {
        Tokenizer tokenizer = Options.enumValue(Tokenizer.class, "--token", token);
        Corpus corpus = new CorpusReader(io.data.hub()).read(dataset, tokenizer, minFreq, maxTokens);
        var out = io.spec.commandLine().getOut();
        long distinct = corpus.flatTokens().stream().distinct().count();
        out.printf("%s (%s tokens): %d lines, %d tokens, vocabulary %d (%d distinct tokens + <unk>)%n", dataset, token,
                corpus.lines().size(), corpus.size(), corpus.vocab().size(), distinct);
        List<List<Object>> head = corpus.vocab().head(10);
        out.println("vocabulary head: " + head);
        Map<String, int[]> lineIndices = new LinkedHashMap<>();
        Map<String, List<String>> lineTokens = new LinkedHashMap<>();
        for (int line : showLines) {
            if (line < 0 || line >= corpus.lines().size()) {
                throw new UserError("--show-lines " + line + " is out of range: the corpus has " + corpus.lines().size()
                        + " lines (0.." + (corpus.lines().size() - 1) + ")");
            }
            lineIndices.put(String.valueOf(line), corpus.lineIndices(line));
            lineTokens.put(String.valueOf(line), corpus.tokens().get(line));
            out.printf("line %d: %s%n  indices: %s%n", line, corpus.tokens().get(line),
                    Arrays.toString(corpus.lineIndices(line)));
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("dataset", dataset);
        j.put("token", token);
        j.put("lines", corpus.lines().size());
        j.put("tokens", corpus.size());
        j.put("vocab_size", corpus.vocab().size());
        j.put("distinct_tokens", distinct);
        j.put("vocab_head", head);
        j.put("line_indices", lineIndices);
        j.put("line_tokens", lineTokens);
        if (steps != null) {
            j.put("first_batch", firstBatch(corpus, out));
        }
        io.json.print(out, j);
    }

    private Map<String, Object> firstBatch(Corpus corpus, java.io.PrintWriter out) {
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(corpus.indices())
                .setVocabSize(corpus.vocab().size()).setBatchSize(batch).setSteps(steps)
                .optPartitioning(Options.enumValue(Partitioning.class, "--sampling", sampling)).optSeed(seed).build();
        LanguageModelIterator.TokenBatch b = it.nextTokens();
        out.println("first minibatch X: " + Arrays.deepToString(b.x()));
        out.println("first minibatch Y: " + Arrays.deepToString(b.y()));
        return Map.of("x", b.x(), "y", b.y(), "batches_per_epoch", it.batchesThisEpoch());
    }
}
