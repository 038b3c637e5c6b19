package org.d2l.rnn.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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

/** Loads an exported translation model and translates one English sentence into French. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate an English sentence with a model exported by train-seq2seq (greedy or beam search).")
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
    @Parameters(paramLabel = "SENTENCE", description = "English text, e.g. \"go .\"")
    String sentence;

    @Override
    public Integer call() {
        NativeRuntime.init();
        ModelBundle bundle = ModelBundle.load(model, ModelCard.SEQ2SEQ);
        int steps = ((Number) bundle.card().settings().get("steps")).intValue();
        Translator translator = new Translator(bundle.graph(), bundle.vocab(ModelBundle.SOURCE_VOCAB),
                bundle.vocab(ModelBundle.TARGET_VOCAB), steps, Options.enumValue(ContextMode.class, "--context", context));
        Translator.Result r = translator.translate(sentence, beam);
        if (!r.unknownWords().isEmpty()) {
            spec.commandLine().getErr().println("warning: not in the model's source vocabulary, read as <unk>: "
                    + String.join(" ", r.unknownWords()));
        }
        var out = spec.commandLine().getOut();
        out.println(r.text());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model.toString());
        j.put("source", r.sentence());
        j.put("translation", r.text());
        j.put("beam", r.beam());
        j.put("log_probability", r.logProbability());
        j.put("score", r.score());
        j.put("ended_with_eos", r.endedWithEos());
        j.put("unknown_words", r.unknownWords());
        json.print(out, j);
        return 0;
    }
}
