package org.d2l.rnn.experiments;

import org.d2l.rnn.io.RunResult;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.d2l.rnn.datavec.TranslationArrays;
import org.d2l.rnn.datavec.TranslationData;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.text.TranslationText;
import org.d2l.rnn.text.Vocab;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * d2l 9.5 Machine Translation and the Dataset: fra-eng preprocessed and tokenized, the sentence-length
 * histogram, the vocabularies, padding to num_steps, and the first minibatch the DataVec iterator yields.
 */
public final class MachineTranslation implements Experiment {

    /** d2l 9.5's figures: over all pairs, and over d2l's 600-example set. */
    public record Result(int allPairs, int allSourceVocab, int allTargetVocab, int pairs, int srcVocabSize,
                         int tgtVocabSize, Map<String, Object> firstBatch) implements RunResult {
    }

    @Override
    public String name() {
        return "machine-translation";
    }

    @Override
    public String title() {
        return "9.5 Machine Translation and the Dataset";
    }

    @Override
    public Result run(RunContext ctx) {
        String raw = ctx.hub().readText(TranslationData.DATASET);
        TranslationText.Pairs all = TranslationText.tokenize(TranslationText.preprocess(raw), 0);
        Vocab allSource = TranslationData.vocabulary(all.source(), 2);
        Vocab allTarget = TranslationData.vocabulary(all.target(), 2);
        TranslationData d2l = TranslationData.load(ctx.hub(), 600, 8, 2);
        StringBuilder out = new StringBuilder();
        out.append("raw: ").append(raw, 0, 75).append("\npreprocessed: ")
                .append(TranslationText.preprocess(raw).substring(0, 80)).append('\n');
        for (int i = 0; i < 6; i++) {
            out.append(all.source().get(i)).append(" -> ").append(all.target().get(i)).append('\n');
        }
        out.append(String.format("all %d pairs: source vocabulary %d, target vocabulary %d (min_freq 2)%n",
                all.size(), allSource.size(), allTarget.size()));
        int[] first = all.source().get(0).stream().mapToInt(allSource::indexOf).toArray();
        out.append("truncate_pad(src_vocab[source[0]], 10, src_vocab['<pad>']): ").append(Arrays.toString(
                TranslationArrays.truncatePad(first, 10, allSource.indexOf(TranslationArrays.PAD)))).append('\n');
        out.append("build_array_nmt's row for it (<eos> appended, then truncate_pad): ").append(Arrays.toString(
                TranslationArrays.of(List.of(all.source().get(0)), allSource, 10).tokens()[0])).append('\n');
        Map<String, Object> batch = firstBatch(d2l, ctx.seed());
        out.append(String.format("load_data_nmt(batch 2, num_steps 8), 600 examples: %d pairs, source vocabulary %d, "
                + "target vocabulary %d%n", d2l.pairs().size(), d2l.source().size(), d2l.target().size()));
        batch.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        ctx.out().print(out);
        ctx.out().flush();
        Result r = new Result(all.size(), allSource.size(), allTarget.size(), d2l.pairs().size(), d2l.source().size(),
                d2l.target().size(), batch);
        Report report = ctx.report(this);
        report.paragraph("English–French pairs from the Tatoeba project: non-breaking spaces become spaces, text is "
                + "lower-cased and punctuation is split off; each language gets a word vocabulary (words seen fewer "
                + "than 2 times become `<unk>`, plus `<pad>`, `<bos>`, `<eos>`); every sentence gets `<eos>` and is "
                + "cut or padded to num_steps, with its valid length kept for the masks. Minibatches come from a "
                + "DataVec sequence record reader, whose records the translation iterator writes into the arrays "
                + "DL4J's RecordReaderMultiDataSetIterator would make (feature and label masks from the valid "
                + "lengths; d2l's shuffled order, seeded).");
        report.command(ctx.command(this));
        report.heading("Output").output(out.toString());
        report.figure("sentence-lengths", Charts.bars("Tokens per sentence, all " + all.size() + " pairs",
                "# tokens per sequence", "count", List.of(histogram("source (English)", all.source()),
                        histogram("target (French)", all.target()))), "Most sentences are shorter than 20 tokens");
        report.metrics(r.metrics()).write();
        return r;
    }

    /** The first minibatch of 2 pairs from the iterator: token indices, valid lengths (mask sums). */
    private static Map<String, Object> firstBatch(TranslationData d, long seed) {
        MultiDataSet b = d.iterator(2, seed).next();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("X", Arrays.deepToString(b.getFeatures(0).reshape(2, d.steps()).toIntMatrix()));
        m.put("X_valid_len", Arrays.toString(b.getFeaturesMaskArray(0).sum(1).toIntVector()));
        m.put("Y", Arrays.deepToString(b.getLabels(0).argMax(1).toIntMatrix()));
        m.put("Y_valid_len", Arrays.toString(b.getLabelsMaskArray(0).sum(1).toIntVector()));
        return m;
    }

    private static Charts.Series histogram(String name, List<List<String>> sentences) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        sentences.forEach(s -> counts.merge(s.size(), 1, Integer::sum));
        return new Charts.Series(name, counts.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                counts.values().stream().mapToDouble(Integer::doubleValue).toArray());
    }
}
