package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Loads an exported language model and continues a prefix. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a language model exported by train-lm (greedy, or sampled with --temperature).")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;

    @Option(names = "--model", required = true, paramLabel = "ZIP", description = "A zip written by train-lm.")
    Path model;
    @Option(names = "--prefix", defaultValue = "time traveller", description = "Text to continue (default '${DEFAULT-VALUE}').")
    String prefix;
    @Option(names = "--length", defaultValue = "50", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int length;
    @Option(names = "--temperature", paramLabel = "T",
            description = "Sample from p^(1/T) instead of greedy: T < 1 sharpens, T > 1 flattens (d2l's alpha = 1/T).")
    Double temperature;
    @Option(names = "--seed", description = "Seed for sampling (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (length < 0) {
            throw new UserError("--length must be >= 0, got " + length);
        }
        NativeRuntime.init();
        ModelBundle bundle = ModelBundle.load(model, ModelCard.LANGUAGE_MODEL);
        ModelCard card = bundle.card();
        ModelSpec architecture = card.languageModelSpec();
        Generator g = new Generator(bundle.net(), bundle.vocab(), Tokenizer.valueOf(card.tokenizer()),
                architecture.oneHot(), !architecture.kind().bidirectional());
        String text = temperature == null ? g.greedy(prefix, length) : g.sample(prefix, length, temperature, new Random(seed));
        var out = spec.commandLine().getOut();
        out.println(text);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model.toString());
        j.put("kind", architecture.kind().cliName());
        j.put("prefix", prefix);
        j.put("text", text);
        j.put("temperature", temperature);
        json.print(out, j);
        return 0;
    }
}
