package org.d2l.rnn.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.datavec.TranslationArrays;
import org.d2l.rnn.text.TranslationText;
import org.d2l.rnn.text.Vocab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** d2l 9.5's dataset: sizes of the two vocabularies and the first padded minibatch. */
@Command(name = "mt-data", mixinStandardHelpOptions = true,
        description = "Load fra-eng as d2l 9.5 does and show the vocabularies and the first padded minibatch.")
final class MtDataCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;
    @Mixin
    DataOptions data;

    @Option(names = "--num-examples", defaultValue = "600", description = "Pairs to read (d2l: 600; 0 = all).")
    int numExamples;
    @Option(names = "--num-steps", defaultValue = "8", description = "Pad or cut sentences to this length (default ${DEFAULT-VALUE}).")
    int numSteps;
    @Option(names = "--batch", defaultValue = "2", description = "Pairs in the shown minibatch (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--min-freq", defaultValue = "2", description = "Rarer words become <unk> (default ${DEFAULT-VALUE}).")
    int minFreq;

    @Override
    public void run() {
        if (numExamples < 0 || numSteps < 1 || batch < 1) {
            throw new UserError("--num-examples must be >= 0, --num-steps and --batch >= 1");
        }
        TranslationText.Pairs pairs = TranslationText.tokenize(TranslationText.preprocess(data.hub().readText("fra-eng")),
                numExamples);
        Vocab src = Vocab.build(flatten(pairs.source()), minFreq, TranslationArrays.RESERVED);
        Vocab tgt = Vocab.build(flatten(pairs.target()), minFreq, TranslationArrays.RESERVED);
        TranslationArrays x = TranslationArrays.of(pairs.source(), src, numSteps);
        TranslationArrays y = TranslationArrays.of(pairs.target(), tgt, numSteps);
        int shown = Math.min(batch, pairs.size());
        var out = spec.commandLine().getOut();
        out.printf("%d pairs, source vocabulary %d, target vocabulary %d%n", pairs.size(), src.size(), tgt.size());
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("X", Arrays.copyOf(x.tokens(), shown));
        first.put("X_valid_len", Arrays.copyOf(x.validLength(), shown));
        first.put("Y", Arrays.copyOf(y.tokens(), shown));
        first.put("Y_valid_len", Arrays.copyOf(y.validLength(), shown));
        first.forEach((k, v) -> out.println(k + ": " + (v instanceof int[][] m ? Arrays.deepToString(m) : Arrays.toString((int[]) v))));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("pairs", pairs.size());
        j.put("src_vocab_size", src.size());
        j.put("tgt_vocab_size", tgt.size());
        j.put("first_batch", first);
        json.print(out, j);
    }

    private static java.util.List<String> flatten(java.util.List<java.util.List<String>> lines) {
        return lines.stream().flatMap(java.util.List::stream).toList();
    }
}
