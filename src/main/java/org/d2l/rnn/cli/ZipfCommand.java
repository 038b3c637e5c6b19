package org.d2l.rnn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.ZipfAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** d2l 8.3's n-gram statistics: the most frequent uni/bi/trigrams and the fitted Zipf exponents. */
@Command(name = "zipf", mixinStandardHelpOptions = true,
        description = "n-gram frequencies of a corpus and the Zipf exponents fitted to them.")
final class ZipfCommand implements Runnable {
    @Mixin
    DataCommandOptions io;

    @Option(names = "--dataset", defaultValue = "time-machine", paramLabel = "D", description = "Corpus (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--token", defaultValue = "word", paramLabel = "char|word", description = "Token kind (default ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--top", defaultValue = "5", paramLabel = "N", description = "How many of the most frequent to show.")
    int top;

    @Override
    public void run() {
        Corpus corpus = new CorpusReader(io.data.hub()).read(dataset, Options.enumValue(Tokenizer.class, "--token", token), 0, -1);
        ZipfAnalysis zipf = ZipfAnalysis.of(corpus.flatTokens());
        var out = io.spec.commandLine().getOut();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("dataset", dataset);
        for (int n = 1; n <= 3; n++) {
            String name = ZipfAnalysis.NAMES.get(n - 1);
            List<List<Object>> head = zipf.of(n).stream().limit(Math.max(0, top))
                    .map(e -> List.<Object>of(e.getKey(), e.getValue())).toList();
            out.printf("%s: %d distinct, Zipf exponent %.3f (fit over %d ranks), top: %s%n", name, zipf.of(n).size(),
                    zipf.exponent(n), zipf.fits().get(n - 1).points(), head);
            j.put(name + "_exponent", zipf.exponent(n));
            j.put("top_" + name + "s", head);
        }
        io.json.print(out, j);
    }
}
