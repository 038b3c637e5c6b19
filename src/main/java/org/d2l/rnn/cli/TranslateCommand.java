package org.d2l.rnn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.d2l.rnn.UserError;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.seq2seq.ContextMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Loads an exported translation model once and translates English sentences into French: given as arguments, or one
 * per line from a file or standard input. Greedy decoding runs them in batches.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate English sentences with a model exported by train-seq2seq (greedy or beam search): "
                + "the arguments, or one sentence per line of --input (a file, or - for standard input). Prints one "
                + "translation per line; --json prints one object with the list of translations.")
final class TranslateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOutput json;

    @Option(names = "--model", required = true, paramLabel = "ZIP", description = "A zip written by train-seq2seq.")
    Path model;
    @Option(names = "--beam", defaultValue = "1", description = "Beam size; 1 = greedy (default ${DEFAULT-VALUE}).")
    int beam;
    @Option(names = "--context", defaultValue = "encoder",
            description = "encoder (the context stays the encoder's) or drifting (d2l's code: the decoder's own state).")
    String context;
    @Option(names = "--input", paramLabel = "FILE", description = "Read the sentences from FILE, one per line (blank "
            + "lines are skipped); - reads standard input.")
    String input;
    @Option(names = "--batch", defaultValue = "64",
            description = "Sentences decoded together by greedy search (default ${DEFAULT-VALUE}).")
    int batch;
    @Parameters(arity = "0..*", paramLabel = "SENTENCE", description = "English text, e.g. \"go .\"")
    List<String> sentences = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> all = sentences();
        NativeRuntime.init();
        ModelBundle bundle = ModelBundle.load(model, ModelCard.SEQ2SEQ);
        int steps = ((Number) bundle.card().settings().get("steps")).intValue();
        Translator translator = new Translator(bundle.graph(), bundle.vocab(ModelBundle.SOURCE_VOCAB),
                bundle.vocab(ModelBundle.TARGET_VOCAB), steps, Options.enumValue(ContextMode.class, "--context", context));
        List<Translator.Result> results = translator.translate(all, beam, batch);
        var out = spec.commandLine().getOut();
        List<Map<String, Object>> translations = new ArrayList<>();
        for (Translator.Result r : results) {
            if (!r.unknownWords().isEmpty()) {
                spec.commandLine().getErr().println("warning: not in the model's source vocabulary, read as <unk>: "
                        + String.join(" ", r.unknownWords()) + (results.size() > 1 ? " (in \"" + r.sentence() + "\")" : ""));
            }
            out.println(r.text());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("source", r.sentence());
            j.put("translation", r.text());
            j.put("log_probability", r.logProbability());
            j.put("score", r.score());
            j.put("ended_with_eos", r.endedWithEos());
            j.put("unknown_words", r.unknownWords());
            translations.add(j);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model.toString());
        j.put("beam", beam);
        j.put("translations", translations);
        json.print(out, j);
        return 0;
    }

    /** The arguments, or the non-blank lines of --input; not both, and not none. */
    private List<String> sentences() {
        if (input == null) {
            if (sentences.isEmpty()) {
                throw new UserError("nothing to translate: give a sentence, e.g. \"go .\", or --input FILE (- for "
                        + "standard input)");
            }
            return sentences;
        }
        if (!sentences.isEmpty()) {
            throw new UserError("give the sentences either as arguments or with --input, not both");
        }
        List<String> lines;
        try {
            lines = "-".equals(input)
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList()
                    : Files.readAllLines(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("--input " + input + " not found: give a text file with one sentence per line, or -");
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("cannot read --input " + input + " (" + e.getMessage() + "): give a UTF-8 text file "
                    + "with one sentence per line, or -");
        }
        List<String> nonBlank = lines.stream().filter(l -> !l.isBlank()).toList();
        if (nonBlank.isEmpty()) {
            throw new UserError("--input " + input + " has no sentences: one sentence per line");
        }
        return nonBlank;
    }
}
