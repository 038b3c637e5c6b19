package org.d2l.rnn.experiments.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.io.RunResult;
import org.d2l.rnn.experiments.RunContext;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.Vocab;
import org.d2l.rnn.text.ZipfAnalysis;

/** d2l 8.2/8.3 exercises: how min_freq shapes the word vocabulary, and Zipf exponents of n-grams. */
public final class ExerciseVocabulary implements Exercise {
    static final int[] MIN_FREQS = {0, 1, 2, 3, 5, 10, 20, 50};

    /** One vocabulary: its size and the share of corpus tokens it maps to {@code <unk>}. */
    public record Row(int minFreq, int vocabSize, double unkRate) {
    }

    public record Result(List<Row> vocabularies, double unigramExponent, double bigramExponent,
                         double trigramExponent) implements RunResult {
    }

    @Override
    public String name() {
        return "exercise-vocabulary";
    }

    @Override
    public String reportDir() {
        return "exercises/vocabulary";
    }

    @Override
    public String title() {
        return "8.2/8.3 exercise: min_freq and the vocabulary; Zipf exponents of n-grams";
    }

    @Override
    public String question() {
        return "How does min_freq change the size of the word vocabulary of The Time Machine and the share of its "
                + "words read as `<unk>`? And what are the Zipf exponents of unigrams, bigrams and trigrams? "
                + "(d2l 8.2 and 8.3, exercises)";
    }

    @Override
    public Result run(RunContext ctx) {
        Corpus words = new CorpusReader(ctx.hub()).read("time-machine", Tokenizer.WORD, 0, -1);
        List<String> tokens = words.flatTokens();
        List<Row> rows = new ArrayList<>();
        for (int minFreq : MIN_FREQS) {
            Vocab v = Vocab.build(tokens, minFreq, List.of());
            long unk = tokens.stream().filter(t -> !v.contains(t)).count();
            rows.add(new Row(minFreq, v.size(), unk / (double) tokens.size()));
        }
        ZipfAnalysis zipf = ZipfAnalysis.of(tokens);
        Result r = new Result(rows, zipf.exponent(1), zipf.exponent(2), zipf.exponent(3));
        rows.forEach(row -> ctx.out().printf("min_freq %d: %d tokens, %.1f%% <unk>%n", row.minFreq(), row.vocabSize(),
                100 * row.unkRate()));
        ctx.out().printf("Zipf exponents: unigram %.3f, bigram %.3f, trigram %.3f%n", r.unigramExponent(),
                r.bigramExponent(), r.trigramExponent());
        ctx.out().flush();
        writeReport(ctx, zipf, r, tokens.size());
        Exercises.writeIndex(ctx.reportRoot());
        return r;
    }

    private void writeReport(RunContext ctx, ZipfAnalysis zipf, Result r, int corpusTokens) {
        Report report = report(ctx, "The word-tokenized Time Machine ("
                + corpusTokens + " tokens) with d2l's `Vocab` at min_freq " + java.util.Arrays.toString(MIN_FREQS)
                + "; `<unk>` share = corpus tokens outside the vocabulary. Zipf exponents are the negated least-squares "
                + "slope of log frequency against log rank (from rank 11, n-grams seen at least twice), as in "
                + "`run language-models`.", answer(r));
        report.heading("Vocabulary against min_freq").table(List.of("min_freq", "vocabulary size", "`<unk>` share"),
                r.vocabularies().stream().map(row -> List.<Object>of(row.minFreq(), row.vocabSize(),
                        String.format("%.2f%%", 100 * row.unkRate()))).toList());
        double[] x = r.vocabularies().stream().mapToDouble(Row::minFreq).toArray();
        report.figure("vocabulary", Charts.lines("Word vocabulary of The Time Machine", "min_freq", "tokens",
                List.of(new Series("vocabulary size", x, r.vocabularies().stream().mapToDouble(Row::vocabSize).toArray()))),
                "Vocabulary size against min_freq");
        report.figure("unk-share", Charts.lines("Tokens read as <unk>", "min_freq", "share of the corpus (%)",
                List.of(new Series("<unk> share", x, r.vocabularies().stream().mapToDouble(row -> 100 * row.unkRate())
                        .toArray()))), "Share of the corpus outside the vocabulary against min_freq");
        report.heading("Zipf's law for n-grams").table(List.of("n-gram", "distinct", "fitted exponent"),
                IntStream.rangeClosed(1, 3).mapToObj(n -> List.<Object>of(ZipfAnalysis.NAMES.get(n - 1),
                        zipf.of(n).size(), String.format("%.3f", zipf.exponent(n)))).toList());
        List<Series> series = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            series.add(Series.of(ZipfAnalysis.NAMES.get(n - 1), zipf.of(n).stream().mapToDouble(Map.Entry::getValue)
                    .toArray()));
        }
        report.figure("zipf", Charts.lines("Zipf's law on The Time Machine", "rank", "frequency", series, true),
                "n-gram frequency against rank, log-log");
        report.metrics(r.metrics()).write();
    }

    static String answer(Result r) {
        Row all = r.vocabularies().get(0);
        Row two = r.vocabularies().stream().filter(row -> row.minFreq() == 2).findFirst().orElseThrow();
        Row ten = r.vocabularies().stream().filter(row -> row.minFreq() == 10).findFirst().orElseThrow();
        return String.format("With every word kept (min_freq 0 or 1) the vocabulary has %d tokens and nothing is "
                + "`<unk>`. min_freq 2 drops it to %d tokens (%.0f%% of them) while only %.1f%% of the running text "
                + "becomes `<unk>`; min_freq 10 keeps %d tokens and loses %.1f%% of the text. Because word frequencies "
                + "follow Zipf's law, most distinct words are rare: cutting the long tail shrinks the vocabulary (and "
                + "an embedding or output layer) a lot for a small `<unk>` rate. The fitted exponents are: unigrams "
                + "%.2f, bigrams %.2f, trigrams %.2f%s", all.vocabSize(), two.vocabSize(),
                100.0 * two.vocabSize() / all.vocabSize(), 100 * two.unkRate(), ten.vocabSize(), 100 * ten.unkRate(),
                r.unigramExponent(), r.bigramExponent(), r.trigramExponent(),
                r.unigramExponent() > r.bigramExponent() && r.bigramExponent() > r.trigramExponent()
                        ? " — they fall with n: longer n-grams spread over many more distinct sequences, each rarer, "
                        + "which is why counting n-grams cannot scale and a model that generalises across them is needed."
                        : " — not falling with n on this corpus, against d2l's observation.");
    }
}
