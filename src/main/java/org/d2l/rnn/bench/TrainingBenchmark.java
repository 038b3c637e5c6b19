package org.d2l.rnn.bench;

import java.util.Random;
import org.d2l.rnn.data.DataHub;
import org.d2l.rnn.datavec.TranslationData;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.seq2seq.DecoderVertex;
import org.d2l.rnn.seq2seq.Seq2SeqGraph;
import org.d2l.rnn.train.GradientNormalizer;
import org.d2l.rnn.train.Objective;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Training steps as the trainer runs them (fit with d2l's gradient scaling and global-norm clipping θ = 1, state
 * carried between minibatches where the model allows it), on a fixed minibatch so no data work is timed.
 */
public final class TrainingBenchmark {
    private static final long SEED = 42;
    private final int warmup;
    private final int windows;
    private final int iterations;

    public TrainingBenchmark(int warmup, int windows, int iterations) {
        this.warmup = warmup;
        this.windows = windows;
        this.iterations = iterations;
    }

    public Measurement measure(BenchConfig config, DataHub hub) {
        return config.seq2seq() ? seq2seq(hub, config) : languageModel(config);
    }

    private Measurement languageModel(BenchConfig c) {
        int b = BenchConfig.BATCH;
        int t = BenchConfig.STEPS;
        int v = BenchConfig.VOCAB;
        StatefulGraph net = languageModelNet(c);
        net.addListeners(new GradientNormalizer(t, 1.0));
        net.setCarryState(!c.kind().bidirectional());
        DataSet batch = new DataSet(oneHot(b, v, t, 1), oneHot(b, v, t, 2));
        Timing timing = Timing.of(() -> net.fit(batch), warmup, windows, iterations);
        double ms = timing.medianMsPerIter();
        double tokensPerSec = b * t / (ms / 1e3);
        int gateInput = v + c.hidden();
        double gflops = Sgemm.gflops(b, gateInput, c.kind().gates() * c.hidden());
        return new Measurement(c.cliName(), net.params().length(), tokensPerSec, ms, timing.msPerIterByWindow(),
                c.trainingFlopsPerToken(), gflops, c.trainingFlopsPerToken() * tokensPerSec / (gflops * 1e9));
    }

    /** The language model a config trains (also used to time generation). */
    static StatefulGraph languageModelNet(BenchConfig c) {
        return LanguageModels.build(ModelSpec.of(c.kind(), BenchConfig.VOCAB, c.hidden(), c.layers()), new Sgd(1.0),
                BenchConfig.STEPS, SEED);
    }

    /**
     * d2l 9.7's settings on the first full minibatch of its 600 fra-eng pairs; tokens = batch × num_steps. With
     * {@link BenchConfig#SEQ2SEQ_FUSED} the decoder is the fused one.
     */
    private Measurement seq2seq(DataHub hub, BenchConfig config) {
        TranslationData data = TranslationData.load(hub, 600, 10, 2);
        Seq2SeqGraph.Settings d2l = Seq2SeqGraph.Settings.d2l(data.source().size(), data.target().size(), SEED);
        ComputationGraph net = Seq2SeqGraph.build(config == BenchConfig.SEQ2SEQ ? d2l
                : new Seq2SeqGraph.Settings(d2l.sourceVocab(), d2l.targetVocab(), d2l.embedding(), d2l.hidden(),
                        d2l.layers(), d2l.dropout(), d2l.seed(), d2l.dataType(), d2l.updater(),
                        DecoderVertex.Engine.FUSED));
        net.addListeners(new GradientNormalizer(Objective.SEQUENCE_SUM, data.steps(), 1.0));
        MultiDataSet batch = data.iterator(64, SEED).next();
        Timing timing = Timing.of(() -> net.fit(batch), warmup, windows, iterations);
        double ms = timing.medianMsPerIter();
        return new Measurement(config.cliName(), net.params().length(),
                batch.getFeatures(0).length() / (ms / 1e3), ms, timing.msPerIterByWindow(), null, null, null);
    }

    private static INDArray oneHot(int batch, int vocab, int steps, long seed) {
        Random r = new Random(seed);
        INDArray x = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, batch, vocab, steps);
        for (int i = 0; i < batch; i++) {
            for (int s = 0; s < steps; s++) {
                x.putScalar(i, r.nextInt(vocab), s, 1.0);
            }
        }
        return x;
    }
}
