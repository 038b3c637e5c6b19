package org.d2l.rnn.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.data.Sha1;
import org.d2l.rnn.datavec.TranslationData;
import org.d2l.rnn.io.Json;
import org.d2l.rnn.infer.Bleu;
import org.d2l.rnn.infer.Translator;
import org.d2l.rnn.io.AtomicFiles;
import org.d2l.rnn.models.ModelBundle;
import org.d2l.rnn.models.Networks;
import org.d2l.rnn.models.ModelCard;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.seq2seq.ContextMode;
import org.d2l.rnn.seq2seq.MaskedLoss;
import org.d2l.rnn.seq2seq.Seq2SeqGraph;
import org.d2l.rnn.train.Trainer;
import org.d2l.rnn.train.TrainingData;
import org.d2l.rnn.train.TrainingResult;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One seq2seq run, d2l 9.7's {@code train_seq2seq} end to end: fra-eng → DataVec iterator → encoder–decoder
 * graph → trainer → translations of d2l's test sentences with BLEU → optional export (both vocabularies inside).
 */
public final class TranslationJob {
    /** d2l 9.7's test sentences and their references. */
    public static final Map<String, String> D2L_TESTS = orderedMap(
            "go .", "va !",
            "i lost .", "j'ai perdu .",
            "he's calm .", "il est calme .",
            "i'm home .", "je suis chez moi .");
    private static final int BLEU_K = 2;

    private TranslationJob() {
    }

    /** A trained model with its data, for sections that decode further. */
    public record Trained(ComputationGraph net, TranslationData data, TranslationResult result) {
    }

    public static TranslationResult run(TranslationSettings s, DataHub hub, PrintWriter out) {
        Trained trained = train(s, hub, out);
        Networks.release(trained.net()); // nothing uses the network after a plain run: its memory goes back now
        return trained.result();
    }

    public static Trained train(TranslationSettings s, DataHub hub, PrintWriter out) {
        if (s.save() != null) {
            AtomicFiles.requireWritable(s.save());
        }
        NativeRuntime.init();
        Nd4j.getRandom().setSeed(s.seed());
        TranslationData data = TranslationData.load(hub, s.numExamples(), s.steps(), s.minFreq());
        ComputationGraph net = Seq2SeqGraph.build(new Seq2SeqGraph.Settings(data.source().size(), data.target().size(),
                s.embedding(), s.hidden(), s.layers(), s.dropout(), s.seed(), DataType.FLOAT, new Adam(s.lr()),
                s.decoder()));
        out.printf("%d pairs, source vocabulary %d, target vocabulary %d, %d parameters%n", data.pairs().size(),
                data.source().size(), data.target().size(), net.params().length());
        int every = Math.max(1, s.epochs() / 10);
        TrainingResult r = Trainer.builder().setNetwork(net)
                .setData(TrainingData.of(data.iterator(s.batch(), s.seed()), s.steps()))
                .setEpochs(s.epochs()).optClip(s.clip()).optTaskName("seq2seq on " + TranslationData.DATASET)
                .optEpochListener((epoch, ppl, speed) -> {
                    if (epoch % every == 0 || epoch == s.epochs()) {
                        out.printf("epoch %d, loss %.4f, %.0f tokens/s%n", epoch,
                                MaskedLoss.d2lPrintedLoss(Math.log(ppl), s.steps()), speed);
                        out.flush();
                    }
                }).build().fit();
        double[] loss = new double[r.perplexityByEpoch().length];
        for (int e = 0; e < loss.length; e++) {
            loss[e] = MaskedLoss.d2lPrintedLoss(Math.log(r.perplexityByEpoch()[e]), s.steps());
        }
        List<TranslationResult.Row> rows = translate(net, data, s);
        rows.forEach(row -> out.printf("%s => %s, bleu %.3f | beam %d: %s, bleu %.3f%n", row.source(), row.greedy(),
                row.bleu(), s.beam(), row.beamSearch(), row.beamBleu()));
        out.printf("loss %.4f, %.0f tokens/s, %.1f s%n", loss[loss.length - 1], r.tokensPerSec(), r.seconds());
        out.flush();
        TranslationResult result = new TranslationResult(data.pairs().size(), data.source().size(),
                data.target().size(), net.params().length(), loss[loss.length - 1], loss, Math.log(r.finalPerplexity()),
                r.tokensPerSec(), r.seconds(), s.beam(), rows, s.save() == null ? null : s.save().toString());
        if (s.save() != null) {
            new ModelBundle(net, Map.of(ModelBundle.SOURCE_VOCAB, data.source(), ModelBundle.TARGET_VOCAB,
                    data.target()), card(s, data, result)).save(s.save());
            out.println("saved " + s.save());
        }
        return new Trained(net, data, result);
    }

    private static List<TranslationResult.Row> translate(ComputationGraph net, TranslationData data,
                                                         TranslationSettings s) {
        Translator encoderContext = new Translator(net, data.source(), data.target(), s.steps(), ContextMode.ENCODER);
        Translator drifting = new Translator(net, data.source(), data.target(), s.steps(), ContextMode.DRIFTING);
        List<TranslationResult.Row> rows = new ArrayList<>();
        D2L_TESTS.forEach((eng, fra) -> {
            String greedy = encoderContext.translate(eng, 1).text();
            String beam = encoderContext.translate(eng, s.beam()).text();
            String drift = drifting.translate(eng, 1).text();
            rows.add(new TranslationResult.Row(eng, fra, greedy, Bleu.score(greedy, fra, BLEU_K), beam,
                    Bleu.score(beam, fra, BLEU_K), drift, Bleu.score(drift, fra, BLEU_K)));
        });
        return rows;
    }

    private static ModelCard card(TranslationSettings s, TranslationData data, TranslationResult result) {
        Map<String, Object> settings = Json.SNAKE_CASE.convertValue(s, new TypeReference<>() { });
        settings.remove("save");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("loss", result.loss());
        metrics.put("token_loss", result.tokenLoss());
        metrics.put("tokens_per_sec", result.tokensPerSec());
        metrics.put("seconds", result.seconds());
        int[][] rows = java.util.stream.Stream.concat(java.util.Arrays.stream(data.sourceArrays().tokens()),
                java.util.Arrays.stream(data.targetArrays().tokens())).toArray(int[][]::new);
        Map<String, Object> spec = new LinkedHashMap<>(); // the architecture, what Seq2SeqGraph.build was given
        spec.put("architecture", "gru-encoder-decoder");
        spec.put("source_vocab_size", data.source().size());
        spec.put("target_vocab_size", data.target().size());
        spec.put("embedding", s.embedding());
        spec.put("hidden", s.hidden());
        spec.put("layers", s.layers());
        spec.put("dropout", s.dropout());
        spec.put("decoder", s.decoder().name());
        spec.put("num_steps", s.steps());
        return ModelCard.seq2seq(spec, s.hidden(), TranslationData.DATASET, Sha1.ofInts(rows), settings, s.seed(),
                metrics);
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
