package org.d2l.rnn.experiments.exercises;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.io.RunResult;
import org.d2l.rnn.experiments.RunContext;
import org.d2l.rnn.infer.Generator;
import org.d2l.rnn.jobs.LanguageModelJob;
import org.d2l.rnn.jobs.LmResult;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.Vocab;

/** d2l 8.5 exercise: sample from p^α instead of taking the most likely character; greedy against sampling. */
public final class ExerciseTemperature implements Exercise {
    static final double[] ALPHAS = {0.5, 1, 2, 4};
    static final int SAMPLES = 20;
    static final int LENGTH = 100;
    static final String PREFIX = "time traveller ";

    /** One decoding rule: how often its words are real words, how varied its text is, and one sample. */
    public record Row(String decoding, double realWordShare, double distinctFiveGrams, String example) {
    }

    public record Result(double perplexity, List<Row> decodings) implements RunResult {
    }

    @Override
    public String name() {
        return "exercise-temperature";
    }

    @Override
    public String reportDir() {
        return "exercises/temperature";
    }

    @Override
    public String title() {
        return "8.5 exercise: sampling from p^α — sharpen, flatten, or take the maximum";
    }

    @Override
    public String question() {
        return "Instead of always taking the most likely next character, sample from the distribution raised to a "
                + "power α, p^α (normalised): what do α > 1 (sharpen) and α < 1 (flatten) do to the text, and how "
                + "does sampling compare with greedy decoding? (d2l 8.5, exercises)";
    }

    @Override
    public Result run(RunContext ctx) {
        LmSettings s = LmSettings.builder().optModel(ModelKind.GRU).optEpochs(ctx.epochsOr(150)).optPredictEvery(1000)
                .optSeed(ctx.seed()).optSave(ctx.modelsDir().resolve(name() + ".zip")).build();
        if (ctx.quick()) {
            s = s.toBuilder().optMaxTokens(2 * s.batch() * s.steps() + s.steps() + 1).build();
        }
        LmResult trained = LanguageModelJob.run(s, ctx.hub(), ctx.out());
        ModelBundle bundle = ModelBundle.load(Path.of(trained.savedTo()), ModelCard.LANGUAGE_MODEL);
        Generator generator = new Generator(bundle.net(), bundle.vocab(), Tokenizer.CHAR, true, true);
        Vocab words = new CorpusReader(ctx.hub()).read("time-machine", Tokenizer.WORD, 0, -1).vocab();
        List<Row> rows = new ArrayList<>();
        rows.add(measure("greedy", List.of(generator.greedy(PREFIX, LENGTH)), words));
        for (double alpha : ALPHAS) {
            Random rng = new Random(ctx.seed());
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                texts.add(generator.sample(PREFIX, LENGTH, 1 / alpha, rng));
            }
            rows.add(measure("α = " + alpha, texts, words));
        }
        Result r = new Result(trained.perplexity(), rows);
        rows.forEach(row -> ctx.out().printf("%-8s real words %.0f%%, distinct 5-grams %.0f%%: %s%n", row.decoding(),
                100 * row.realWordShare(), 100 * row.distinctFiveGrams(), row.example()));
        ctx.out().flush();
        writeReport(ctx, s, r);
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    /** Share of generated words (whole words after the prefix) in the book's vocabulary; distinct char 5-grams. */
    static Row measure(String decoding, List<String> texts, Vocab words) {
        int real = 0;
        int total = 0;
        Set<String> grams = new HashSet<>();
        int gramCount = 0;
        for (String text : texts) {
            String generated = text.substring(PREFIX.length());
            String[] tokens = generated.split(" ");
            for (int i = 0; i < tokens.length - 1; i++) { // the last word may be cut off
                if (!tokens[i].isEmpty()) {
                    total++;
                    real += words.contains(tokens[i]) ? 1 : 0;
                }
            }
            for (int i = 0; i + 5 <= generated.length(); i++) {
                grams.add(generated.substring(i, i + 5));
                gramCount++;
            }
        }
        return new Row(decoding, total == 0 ? 0 : real / (double) total,
                gramCount == 0 ? 0 : grams.size() / (double) gramCount, texts.get(0));
    }

    private void writeReport(RunContext ctx, LmSettings s, Result r) {
        Report report = report(ctx, "A GRU language model (our SameDiff "
                + "GRU layer, hidden 256, d2l's SGD lr 1, θ = 1, " + s.epochs() + " epochs on the first 10,000 characters; "
                + String.format("final perplexity %.2f", r.perplexity()) + ") continues \"" + PREFIX.strip() + "\" by "
                + LENGTH + " characters: greedily, and " + SAMPLES + " times from p^α for each α (the generator's "
                + "temperature is 1/α). Real words = generated words found in the book's word vocabulary; distinct "
                + "5-grams = distinct character 5-grams over all 5-grams of the generated text (1 = never repeats).",
                answer(r));
        report.table(List.of("decoding", "real words", "distinct 5-grams", "first sample"), r.decodings().stream()
                .map(row -> List.<Object>of(row.decoding(), String.format("%.0f%%", 100 * row.realWordShare()),
                        String.format("%.0f%%", 100 * row.distinctFiveGrams()), "`" + row.example() + "`")).toList());
        double[] alphas = ALPHAS.clone();
        List<Row> sampled = r.decodings().subList(1, r.decodings().size());
        report.figure("alpha", Charts.lines("Sampling from p^α", "α", "%", List.of(
                new Series("real words", alphas, sampled.stream().mapToDouble(x -> 100 * x.realWordShare()).toArray()),
                new Series("distinct 5-grams", alphas, sampled.stream().mapToDouble(x -> 100 * x.distinctFiveGrams())
                        .toArray()))), "Real-word share and diversity of the samples against α");
        report.metrics(r.metrics()).write();
    }

    static String answer(Result r) {
        Row greedy = r.decodings().get(0);
        Row flat = r.decodings().get(1);
        Row plain = r.decodings().get(2);
        Row sharp = r.decodings().get(r.decodings().size() - 1);
        StringBuilder a = new StringBuilder(String.format("Greedy decoding writes %.0f%% real words with %.0f%% "
                + "distinct 5-grams%s. ", 100 * greedy.realWordShare(), 100 * greedy.distinctFiveGrams(),
                greedy.distinctFiveGrams() < plain.distinctFiveGrams()
                        ? ": it falls into a loop, the same most likely phrase again and again" : ""));
        a.append(String.format("Sampling from the model's own distribution (α = 1) gives %.0f%% distinct 5-grams and "
                + "%.0f%% real words; flattened (α = 0.5): %.0f%% distinct, %.0f%% real words; sharpened (α = %.0f): "
                + "%.0f%% distinct, %.0f%% real words. ", 100 * plain.distinctFiveGrams(), 100 * plain.realWordShare(),
                100 * flat.distinctFiveGrams(), 100 * flat.realWordShare(), ALPHAS[ALPHAS.length - 1],
                100 * sharp.distinctFiveGrams(), 100 * sharp.realWordShare()));
        boolean tradeOff = flat.realWordShare() < plain.realWordShare() && plain.realWordShare() <= sharp.realWordShare()
                && flat.distinctFiveGrams() > sharp.distinctFiveGrams();
        a.append(tradeOff ? "So α trades diversity (small α) against fidelity to the likeliest text (large α); greedy "
                + "is the limit α → ∞, and a moderate α > 1 keeps words real without the greedy loop."
                : "The trade-off between diversity and real words is not monotone in α for this model.");
        return a.toString();
    }
}
