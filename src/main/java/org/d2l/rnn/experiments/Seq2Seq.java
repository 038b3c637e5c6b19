package org.d2l.rnn.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.d2l.rnn.jobs.TranslationJob;
import org.d2l.rnn.jobs.TranslationResult;
import org.d2l.rnn.models.Networks;
import org.d2l.rnn.report.Charts;
import org.d2l.rnn.report.D2lCheck;
import org.d2l.rnn.report.Report;
import org.d2l.rnn.runtime.NativeRuntime;
import org.d2l.rnn.seq2seq.ContextMode;
import org.d2l.rnn.seq2seq.Decoder;
import org.d2l.rnn.seq2seq.DecoderState;
import org.d2l.rnn.seq2seq.DecoderVertex;
import org.d2l.rnn.seq2seq.EncoderDecoder;
import org.d2l.rnn.seq2seq.EncoderOutputs;
import org.d2l.rnn.seq2seq.MaskedLoss;
import org.d2l.rnn.seq2seq.Seq2SeqBatch;
import org.d2l.rnn.seq2seq.Seq2SeqGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** d2l 9.7: the RNN encoder–decoder trained on 600 fra-eng pairs, then d2l's four test translations with BLEU. */
public final class Seq2Seq extends TranslationSection {
    @Override
    public String name() {
        return "seq2seq";
    }

    @Override
    public String title() {
        return "9.7 Sequence to Sequence Learning";
    }

    @Override
    public TranslationResult run(RunContext ctx) {
        TranslationJob.Trained t = train(ctx);
        TranslationResult r = t.result();
        Report report = ctx.report(this);
        report.paragraph("A 2-layer GRU encoder reads the English sentence; its final states (read at each sentence's "
                + "true length, not at the padding) start a 2-layer GRU decoder, whose every step gets the encoder's "
                + "last-layer state (the context) concatenated to its input — a custom DL4J vertex: d2l's GRU "
                + "equations as SameDiff ops, differentiated by SameDiff (the default), or the same function with a "
                + "hand-written backward pass (`--decoder fused`); the two are checked against each other, dropout "
                + "included. Teacher forcing with "
                + "`<bos>`, masked softmax cross-entropy, Adam, global-norm clipping θ = 1, dropout 0.1.");
        report.paragraph("Two differences from d2l's code, on purpose. (1) At prediction time d2l's decoder replaces the "
                + "context by its own last state after the first step (its `init_state` only runs once and its "
                + "`forward` takes the context from the state it returns); here the context stays the encoder's, as "
                + "the model was trained — both are shown below. (2) PyTorch's `nn.GRU` has two bias vectors per "
                + "layer and puts the reset gate after the recurrent bias; the GRU here is d2l's own equations "
                + "(9.1), one bias — which is why it has " + r.params() + " parameters where the reference has 47,369.");
        report.command(ctx.command(this));
        settingsTable(report, t);
        List<D2lCheck> checks = d2lChecks(ctx.seed());
        report.heading("d2l's checks").paragraph("d2l 9.7 checks its encoder and decoder on a toy model (vocabulary "
                + "10, embedding 8, hidden 16, 2 layers) with a minibatch of 4 sequences of 7 zeros, and demonstrates "
                + "`sequence_mask` and the masked softmax cross-entropy. Here: the same model built by "
                + "`Seq2SeqGraph` (what training builds), its encoder and decoder as inference runs them, the mask "
                + "the training batches carry, and the loss as training computes it — one minibatch through "
                + "`fit` with the output layer's weights set to 0 and its bias to 1, so that every logit is 1 as in "
                + "d2l's `torch.ones(3, 4, 10)`, converted to d2l's per-sequence loss by `MaskedLoss`.")
                .checks(checks);
        report.heading("Loss");
        report.table(List.of("", "final loss (d2l's units)", "per-token cross-entropy", "tokens/s", "seconds"),
                List.of(List.of("this run", fmt(r.loss()), fmt(r.tokenLoss()), String.format("%.0f", r.tokensPerSec()),
                                String.format("%.1f", r.seconds())),
                        List.of("PyTorch reference", fmt(REFERENCE_LOSS), fmt(REFERENCE_LOSS * 10), "23,549–26,994", "29–44")));
        report.figure("loss", Charts.lines("seq2seq training loss", "epoch", "loss",
                List.of(Charts.Series.of("loss", r.lossByEpoch()))), "d2l's printed loss per epoch");
        report.heading("Translations (BLEU, k = 2)");
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < r.translations().size(); i++) {
            TranslationResult.Row row = r.translations().get(i);
            rows.add(List.of(row.source(), row.reference(), row.greedy() + " (" + fmt(row.bleu()) + ")",
                    row.beamSearch() + " (" + fmt(row.beamBleu()) + ")",
                    row.greedyDriftingContext() + " (" + fmt(row.driftingBleu()) + ")",
                    fmt(REFERENCE_BLEU_ENCODER_CONTEXT[i]) + " / " + fmt(REFERENCE_BLEU_DRIFTING[i])));
        }
        report.table(List.of("English", "reference", "greedy", "beam " + r.beam(), "greedy, d2l's drifting context",
                "PyTorch BLEU (encoder / drifting context)"), rows);
        report.metrics(r.metrics()).metric("d2l_checks", checks).write();
        return r;
    }

    /** d2l 9.7's toy sizes for its shape checks. */
    private static final int TOY_VOCAB = 10;
    private static final int TOY_BATCH = 4;
    private static final int TOY_STEPS = 7;

    /**
     * d2l 9.7's checks with our code: the encoder's and decoder's output and state shapes at d2l's toy sizes, its
     * {@code sequence_mask} example, and its masked-loss example.
     */
    static List<D2lCheck> d2lChecks(long seed) {
        NativeRuntime.init();
        List<D2lCheck> checks = new ArrayList<>();
        // vocab 10, embed 8, hidden 16, 2 layers; no dropout (d2l calls eval()); learning rate 0: the fit calls of
        // the masked-loss demo compute the loss as training does and leave the parameters as they are (DL4J's
        // NoOp updater would not: it applies the raw gradient)
        ComputationGraph net = Seq2SeqGraph.build(new Seq2SeqGraph.Settings(TOY_VOCAB, TOY_VOCAB, 8, 16, 2, 0, seed,
                DataType.FLOAT, new Sgd(0), DecoderVertex.Engine.FUSED));
        try {
            int[][] x = new int[TOY_BATCH][TOY_STEPS]; // d2l: X = torch.zeros((4, 7), dtype=torch.long)
            int[] valid = new int[TOY_BATCH];
            Arrays.fill(valid, TOY_STEPS);
            EncoderDecoder<EncoderOutputs, DecoderState> model = Seq2SeqGraph.inferenceModel(net, ContextMode.ENCODER);
            EncoderOutputs encoded = model.encoder().encode(x, valid);
            checks.add(new D2lCheck("output, state = encoder(X); output.shape", "torch.Size([7, 4, 16])",
                    shape(encoded.outputs()) + " = [batch, hidden, steps], DL4J's layout for PyTorch's [steps, "
                            + "batch, hidden]", Arrays.equals(encoded.outputs().shape(), new long[] {4, 16, 7})));
            checks.add(new D2lCheck("state.shape", "torch.Size([2, 4, 16])", stateShape(encoded.finalStates())
                    + " (one [batch, hidden] per layer)", sameStateShape(encoded.finalStates())));
            Decoder.Decoded<DecoderState> decoded = model.decoder().forward(x, model.decoder().initState(encoded, valid));
            checks.add(new D2lCheck("output, state = decoder(X, decoder.init_state(encoder(X))); output.shape",
                    "torch.Size([4, 7, 10])", shape(decoded.logProbabilities()) + " = [batch, vocab, steps], DL4J's "
                            + "layout for PyTorch's [batch, steps, vocab]",
                    Arrays.equals(decoded.logProbabilities().shape(), new long[] {4, 10, 7})));
            checks.add(new D2lCheck("state.shape", "torch.Size([2, 4, 16])", stateShape(decoded.state().hidden())
                    + " (one [batch, hidden] per layer)", sameStateShape(decoded.state().hidden())));

            INDArray masked = MaskedLoss.sequenceMask(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}),
                    new int[] {1, 2}, 0);
            checks.add(new D2lCheck("sequence_mask(torch.tensor([[1, 2, 3], [4, 5, 6]]), torch.tensor([1, 2]))",
                    "tensor([[1, 0, 0], [4, 5, 0]])", Arrays.deepToString(masked.toIntMatrix()),
                    Arrays.deepEquals(masked.toIntMatrix(), new int[][] {{1, 0, 0}, {4, 5, 0}})));
            INDArray ones = MaskedLoss.sequenceMask(Nd4j.ones(DataType.FLOAT, 2, 3, 4), new int[] {1, 2}, -1);
            int[][][] expected = {{{1, 1, 1, 1}, {-1, -1, -1, -1}, {-1, -1, -1, -1}},
                {{1, 1, 1, 1}, {1, 1, 1, 1}, {-1, -1, -1, -1}}}; // d2l's printed tensor
            int[][][] got = new int[2][][];
            for (int i = 0; i < got.length; i++) {
                got[i] = ones.slice(i).toIntMatrix();
            }
            checks.add(new D2lCheck("sequence_mask(torch.ones(2, 3, 4), torch.tensor([1, 2]), value=-1)",
                    "tensor([[[ 1.,  1.,  1.,  1.], [-1., -1., -1., -1.], [-1., -1., -1., -1.]], [[ 1.,  1.,  1.,  "
                            + "1.], [ 1.,  1.,  1.,  1.], [-1., -1., -1., -1.]]])", Arrays.deepToString(got),
                    Arrays.deepEquals(got, expected)));

            double[] losses = maskedLossDemo(net);
            checks.add(new D2lCheck("loss(torch.ones(3, 4, 10), torch.ones((3, 4), dtype=torch.long), "
                    + "torch.tensor([4, 2, 0]))", "tensor([2.3026, 1.1513, 0.0000])", String.format(
                            "[%.4f, %.4f, %.4f]", losses[0], losses[1], losses[2]) + String.format(
                            "; the three rows as one minibatch: Σ_i loss_i = %.4f", losses[3]),
                    Math.abs(losses[0] - Math.log(10)) < 1e-4 && Math.abs(losses[1] - Math.log(10) / 2) < 1e-4
                            && Math.abs(losses[2]) < 1e-6
                            && Math.abs(losses[3] - (losses[0] + losses[1] + losses[2])) < 1e-4));
        } finally {
            Networks.release(net);
        }
        return checks;
    }

    /**
     * d2l's {@code MaskedSoftmaxCELoss} example by the training path: logits all 1 over 10 tokens, labels all 1, 4
     * steps, valid lengths 4, 2, 0. Each row is one minibatch through {@code fit} (the output layer's weights 0, its
     * bias 1: every logit is 1 whatever the decoder computes), its DL4J score turned into d2l's loss by
     * {@link MaskedLoss#d2lLossSum}; last, the three rows in one minibatch, whose d2l loss sum must be theirs.
     */
    static double[] maskedLossDemo(ComputationGraph net) {
        int steps = 4;
        int[] validLength = {4, 2, 0};
        var out = net.getLayer(Seq2SeqGraph.OUTPUT);
        out.setParam(DefaultParamInitializer.WEIGHT_KEY, out.getParam(DefaultParamInitializer.WEIGHT_KEY).mul(0));
        out.setParam(DefaultParamInitializer.BIAS_KEY, out.getParam(DefaultParamInitializer.BIAS_KEY).mul(0).add(1));
        int[][] source = new int[1][steps];
        int[][] labels = {{1, 1, 1, 1}};
        double[] losses = new double[validLength.length + 1];
        for (int i = 0; i < validLength.length; i++) {
            net.fit(Seq2SeqBatch.of(source, new int[] {steps}, labels, new int[] {validLength[i]}, 1, TOY_VOCAB,
                    DataType.FLOAT));
            losses[i] = MaskedLoss.d2lLossSum(net.score(), 1, steps);
        }
        int rows = validLength.length;
        net.fit(Seq2SeqBatch.of(new int[rows][steps], new int[] {steps, steps, steps}, new int[][] {labels[0],
            labels[0], labels[0]}, validLength, 1, TOY_VOCAB, DataType.FLOAT));
        losses[rows] = MaskedLoss.d2lLossSum(net.score(), rows, steps);
        return losses;
    }

    private static String shape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    private static String stateShape(INDArray[] layers) {
        return layers.length + " x " + shape(layers[0]);
    }

    /** Two layers of [4, 16]: d2l's state [num_layers, batch, hidden]. */
    private static boolean sameStateShape(INDArray[] layers) {
        return layers.length == 2 && Arrays.stream(layers).allMatch(l -> Arrays.equals(l.shape(), new long[] {4, 16}));
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }
}
