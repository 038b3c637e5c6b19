package org.d2l.rnn.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.datavec.TranslationArrays;
import org.d2l.rnn.datavec.TranslationData;
import org.d2l.rnn.text.TranslationText;
import org.d2l.rnn.text.Vocab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** d2l 9.5's dataset: sizes of the two vocabularies and the first padded minibatch. */
@Command(name = "mt-data", mixinStandardHelpOptions = true,
        description = "Load fra-eng as d2l 9.5 does and show the vocabularies and the first padded minibatch.")
final class MtDataCommand implements Runnable {
    @Mixin
    DataCommandOptions io;

    @Mixin
    TranslationDataOptions pairs;
    @Option(names = "--num-steps", defaultValue = "8", description = "Pad or cut sentences to this length (default ${DEFAULT-VALUE}).")
    int numSteps;
    @Option(names = "--batch", defaultValue = "2", description = "Pairs in the shown minibatch (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public void run() {
        if (batch < 1) {
            throw new UserError("--batch must be at least 1, got " + batch);
        }
        TranslationData d = TranslationData.load(io.data.hub(), this.pairs.numExamples, numSteps, this.pairs.minFreq);
        TranslationText.Pairs pairs = d.pairs();
        Vocab src = d.source();
        Vocab tgt = d.target();
        TranslationArrays x = d.sourceArrays();
        TranslationArrays y = d.targetArrays();
        int shown = Math.min(batch, pairs.size());
        var out = io.spec.commandLine().getOut();
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
        io.json.print(out, j);
    }
}
