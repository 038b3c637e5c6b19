package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Charts.Series;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.Tokenizer;
import org.d2l.rnn.text.ZipfAnalysis;

/**
 * d2l 8.3 Language Models and the Dataset: n-gram statistics and Zipf's law on The Time Machine, and the two
 * ways of cutting a corpus into minibatches (random and sequential partitioning), shown on d2l's 0..34 toy.
 */
public final class LanguageModelsDataset implements Experiment {

    /** What 8.3 shows: the Zipf exponents, the top n-grams, and the minibatch counts of a real epoch. */
    public record Result(double unigramExponent, double bigramExponent, double trigramExponent,
                         List<List<Object>> topUnigrams, int randomBatches, int sequentialBatches,
                         double msPerEpochRandom, double msPerEpochSequential) implements RunResult {
    }

    @Override
    public String name() {
        return "language-models";
    }

    @Override
    public String title() {
        return "8.3 Language Models and the Dataset";
    }

    @Override
    public Result run(RunContext ctx) {
        NativeRuntime.init();
        CorpusReader reader = new CorpusReader(ctx.hub());
        Corpus words = reader.read("time-machine", Tokenizer.WORD, 0, -1);
        ZipfAnalysis zipf = ZipfAnalysis.of(words.flatTokens());
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            out.append("top ").append(ZipfAnalysis.NAMES.get(n - 1)).append("s: ").append(top(zipf, n, 10)).append('\n');
        }
        out.append('\n').append(partitionDemo(Partitioning.RANDOM, ctx.seed()));
        out.append('\n').append(partitionDemo(Partitioning.SEQUENTIAL, ctx.seed()));
        Corpus chars = reader.read("time-machine", Tokenizer.CHAR, 0, -1);
        Epoch random = timeEpoch(chars, Partitioning.RANDOM, ctx.seed());
        Epoch sequential = timeEpoch(chars, Partitioning.SEQUENTIAL, ctx.seed());
        ctx.out().print(out);
        ctx.out().flush();
        Result r = new Result(zipf.exponent(1), zipf.exponent(2), zipf.exponent(3), top(zipf, 1, 10),
                random.batches, sequential.batches, random.ms, sequential.ms);
        writeReport(ctx.report(this), zipf, out.toString(), r, ctx.seed());
        return r;
    }

    static List<List<Object>> top(ZipfAnalysis zipf, int n, int count) {
        List<List<Object>> top = new ArrayList<>();
        zipf.of(n).stream().limit(count).forEach(e -> top.add(List.of(e.getKey(), e.getValue())));
        return top;
    }

    /** d2l prints the minibatches of {@code list(range(35))} with batch 2 and 5 steps. */
    static String partitionDemo(Partitioning p, long seed) {
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(IntStream.range(0, 35).toArray())
                .setVocabSize(35).setBatchSize(2).setSteps(5).optPartitioning(p).optSeed(seed).build();
        StringBuilder sb = new StringBuilder(p.name().toLowerCase() + " partitioning of 0..34, batch 2, 5 steps:\n");
        while (it.hasNext()) {
            LanguageModelIterator.TokenBatch b = it.nextTokens();
            sb.append("X: ").append(Arrays.deepToString(b.x())).append("\nY: ").append(Arrays.deepToString(b.y()))
                    .append('\n');
        }
        return sb.toString();
    }

    private record Epoch(int batches, double ms) {
    }

    /** One full epoch of the char pipeline (batch 32, 35 steps, one-hot features) — how cheap the data side is. */
    private static Epoch timeEpoch(Corpus c, Partitioning p, long seed) {
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(c.indices()).setVocabSize(c.vocab().size())
                .setBatchSize(32).setSteps(35).optPartitioning(p).optSeed(seed).build();
        double best = Double.MAX_VALUE;
        int batches = 0;
        for (int repeat = 0; repeat < 3; repeat++) { // the first pass warms the JIT up
            long t0 = System.nanoTime();
            batches = 0;
            while (it.hasNext()) {
                it.next();
                batches++;
            }
            it.reset();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return new Epoch(batches, best);
    }

    private void writeReport(Report report, ZipfAnalysis zipf, String out, Result r, long seed) {
        report.paragraph("Word n-gram statistics of The Time Machine follow Zipf's law: frequency falls as a power of "
                + "rank, for unigrams, bigrams and trigrams alike, with smaller exponents for longer n-grams. "
                + "The exponent is the negated least-squares slope of log frequency against log rank, fitted "
                + "from rank 11 on (the head of stop words is the exception d2l points out) over the n-grams seen "
                + "at least twice (the tail of single occurrences is a flat staircase).");
        report.command("mvn -q compile exec:java -Dexec.args=\"run language-models --seed " + seed + "\"");
        report.heading("Output").output(out);
        report.table(List.of("n-gram", "distinct", "fitted Zipf exponent", "ranks used in the fit"),
                IntStream.rangeClosed(1, 3).mapToObj(n -> List.<Object>of(ZipfAnalysis.NAMES.get(n - 1),
                        zipf.of(n).size(), String.format("%.3f", zipf.exponent(n)), zipf.fits().get(n - 1).points()))
                        .toList());
        double[] unigrams = zipf.of(1).stream().mapToDouble(Map.Entry::getValue).toArray();
        report.figure("zipf-unigrams", Charts.lines("Unigram frequencies of The Time Machine", "token: x (rank)",
                "frequency: n(x)", List.of(Series.of("unigrams", unigrams)), true),
                "d2l 8.3's first plot: word frequency against rank, log-log — a straight line after the stop words");
        List<Series> series = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            double[] f = zipf.of(n).stream().mapToDouble(Map.Entry::getValue).toArray();
            series.add(Series.of(ZipfAnalysis.NAMES.get(n - 1), f));
        }
        report.figure("zipf", Charts.lines("Zipf's law on The Time Machine", "token: x (rank)", "frequency: n(x)",
                series, true), "n-gram frequency against rank, log-log: three near-straight lines");
        report.heading("Minibatches of the char corpus (batch 32, 35 steps)").table(
                List.of("partitioning", "minibatches per epoch", "DataVec pipeline, ms per epoch"),
                List.of(List.of("random", r.randomBatches(), String.format("%.1f", r.msPerEpochRandom())),
                        List.of("sequential", r.sequentialBatches(), String.format("%.1f", r.msPerEpochSequential()))));
        report.metrics(r.metrics()).write();
    }
}
