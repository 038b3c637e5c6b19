package org.d2l.rnn.cli;

import java.util.Map;
import org.d2l.rnn.infer.Bleu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** d2l's BLEU of one prediction against one label. */
@Command(name = "bleu", mixinStandardHelpOptions = true, description = "BLEU of a prediction against a label (d2l 9.7).")
final class BleuCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;

    @Option(names = "--pred", required = true, description = "Predicted sentence, tokens separated by spaces.")
    String pred;
    @Option(names = "--label", required = true, description = "Reference sentence, tokens separated by spaces.")
    String label;
    @Option(names = "--k", defaultValue = "2", description = "Longest n-gram order (default ${DEFAULT-VALUE}).")
    int k;

    @Override
    public void run() {
        double bleu = Bleu.score(pred, label, k);
        var out = spec.commandLine().getOut();
        out.printf("bleu %.3f%n", bleu);
        json.print(out, Map.of("bleu", bleu));
    }
}
