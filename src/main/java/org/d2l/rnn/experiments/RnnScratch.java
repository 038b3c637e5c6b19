package org.d2l.rnn.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.data.CorpusReader;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.jobs.LmSettings;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.d2l.rnn.models.Networks;
import org.d2l.rnn.models.StatefulGraph;
import org.d2l.rnn.report.D2lCheck;
import org.d2l.rnn.report.LmReport;
import org.d2l.rnn.runtime.NativeRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

/** d2l 8.5: the RNN from its equations, hidden 512, with sequential and with random partitioning. */
public final class RnnScratch extends LanguageModelSection {
    private static final String SEQUENTIAL = "sequential";
    private static final String RANDOM = "random";
    private static final int HIDDEN = 512;

    @Override
    public String name() {
        return "rnn-scratch";
    }

    @Override
    public String title() {
        return "8.5 Recurrent Neural Network Implementation from Scratch";
    }

    @Override
    protected List<Variant> variants(long seed) {
        LmSettings.Builder b = LmSettings.builder().optModel(ModelKind.RNN_SCRATCH).optHidden(HIDDEN).optSeed(seed)
                .optUntrainedPrefix("time traveller "); // d2l 8.5's predict_ch8('time traveller ', 10, ...)
        return List.of(new Variant(SEQUENTIAL, b.optSampling(Partitioning.SEQUENTIAL).build()),
                new Variant(RANDOM, b.optSampling(Partitioning.RANDOM).build()));
    }

    @Override
    protected List<D2lCheck> checks(RunContext ctx) {
        LmSettings s = variants(ctx.seed()).get(0).settings();
        int vocab = new CorpusReader(ctx.hub()).read(s.dataset(), s.tokenizer(), 0, s.maxTokens()).vocab().size();
        return d2lChecks(vocab, s.seed());
    }

    /**
     * d2l 8.5's checks before training, made with the iterator's one-hot encoder and the section's model: the
     * one-hot rows of tokens 0 and 2; the one-hot shape of a 2 x 5 minibatch; and the shapes of the model's output
     * and new state for that minibatch.
     */
    static List<D2lCheck> d2lChecks(int vocab, long seed) {
        NativeRuntime.init();
        List<D2lCheck> checks = new ArrayList<>();
        // F.one_hot(torch.tensor([0, 2]), len(vocab)): one row per token, 1 at the token's index
        INDArray two = LanguageModelIterator.oneHot(new int[][] {{0, 2}}, vocab); // [1, vocab, 2]
        String[] expected = {oneHotRow(0, vocab), oneHotRow(2, vocab)};
        String[] ours = {row(slice(two, 0, 0)), row(slice(two, 0, 1))};
        checks.add(new D2lCheck("F.one_hot(torch.tensor([0, 2]), len(vocab))",
                "[" + expected[0] + ", " + expected[1] + "]",
                "[" + ours[0] + ", " + ours[1] + "] (tokens 0 and 2 as columns of [1, " + vocab + ", 2])",
                Arrays.equals(expected, ours)));

        // X = torch.arange(10).reshape((2, 5)); F.one_hot(X.T, 28).shape
        int[][] x = {{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}};
        INDArray oneHot = LanguageModelIterator.oneHot(x, vocab);
        boolean hotWhereX = oneHot.sumNumber().intValue() == 10; // ten 1s, one per (row, step) ...
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 5; t++) {
                hotWhereX &= oneHot.getDouble(b, x[b][t], t) == 1; // ... each at X's token
            }
        }
        checks.add(new D2lCheck("F.one_hot(X.T, " + vocab + ").shape", "torch.Size([5, 2, " + vocab + "])",
                shape(oneHot) + " = [batch, vocab, steps], DL4J's layout for PyTorch's [steps, batch, vocab]; "
                        + (hotWhereX ? "one 1 per (row, step), at X's token" : "**not** one 1 per step at X's token"),
                Arrays.equals(oneHot.shape(), new long[] {2, vocab, 5}) && hotWhereX));

        // Y, new_state = net(X, state): the section's model, one forward pass from the zero state
        StatefulGraph net = LanguageModels.build(new ModelSpec(ModelKind.RNN_SCRATCH, vocab, HIDDEN, 1, 0, "tanh"),
                new Sgd(1), 0, seed);
        try {
            INDArray y = net.rnnTimeStep(oneHot)[0];
            Map<String, INDArray> state = net.rnnGetPreviousState("rnn1");
            checks.add(new D2lCheck("Y.shape", "torch.Size([10, " + vocab + "])", shape(y)
                    + " = [batch, vocab, steps]: " + y.size(0) * y.size(2) + " distributions over " + y.size(1)
                    + " tokens (d2l's Y stacks the steps' logits in rows)",
                    y.size(0) * y.size(2) == 10 && y.size(1) == vocab));
            checks.add(new D2lCheck("len(new_state)", "1", String.valueOf(state.size()), state.size() == 1));
            INDArray h = state.values().iterator().next();
            checks.add(new D2lCheck("new_state[0].shape", "torch.Size([2, " + HIDDEN + "])", shape(h),
                    Arrays.equals(h.shape(), new long[] {2, HIDDEN})));
        } finally {
            Networks.release(net);
        }
        return checks;
    }

    /** The one-hot row of {@code token}, as d2l prints it: {@code [0, 0, 1, 0, ...]}. */
    private static String oneHotRow(int token, int vocab) {
        double[] r = new double[vocab];
        r[token] = 1;
        return row(r);
    }

    private static double[] slice(INDArray oneHot, int row, int step) {
        return oneHot.slice(row).getColumn(step).toDoubleVector();
    }

    private static String row(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (double v : values) {
            sb.append(sb.length() > 1 ? ", " : "").append((int) v);
        }
        return sb.append(']').toString();
    }

    private static String shape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    @Override
    protected Map<String, LmReport.Reference> references() {
        return Map.of(SEQUENTIAL, References.TM_RNN_SCRATCH_SEQ.get(), RANDOM, References.TM_RNN_SCRATCH_RANDOM.get());
    }

    @Override
    protected String summary() {
        return "H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), O_t = H_t W_hq + b_q, written out as SameDiff ops with "
                + "explicit parameters (normal(0, 0.01) weights, zero biases) on one-hot input, differentiated by "
                + "SameDiff and trained with d2l's settings. Sequential partitioning carries the state from "
                + "minibatch to minibatch (detached); random partitioning starts each minibatch from zeros and "
                + "ends higher.";
    }
}
