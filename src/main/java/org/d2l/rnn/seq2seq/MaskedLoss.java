package org.d2l.rnn.seq2seq;

import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * d2l 9.7's {@code MaskedSoftmaxCELoss} versus what the {@link Seq2SeqGraph}'s output layer (RnnOutputLayer,
 * softmax + MCXENT, label mask = target mask) computes. Both give padded steps zero weight; they differ only in
 * normalisation. With CE(i, t) = −log p(y_it) for batch row i and step t, B rows, T = num_steps steps:
 * <ul>
 *   <li>DL4J: score = Σ_{valid i,t} CE(i, t) / B (sum over valid steps, mean over the batch). The gradient
 *       DL4J computes (what a listener sees in {@code onGradientCalculation}) is that of Σ CE; its updater then
 *       divides by B.</li>
 *   <li>d2l: loss_i = Σ_{valid t} CE(i, t) / T (mean over ALL T steps, padding counted as 0); training
 *       back-propagates Σ_i loss_i (so the gradient is that of Σ CE / T) and clips THAT gradient's global norm,
 *       and prints Σ_i loss_i / Σ_i valid_len_i — which is the per-token cross-entropy divided by T once more
 *       (d2l's "loss 0.019" is 0.19 nats per token at T = 10).</li>
 * </ul>
 * The trainer makes DL4J's gradient d2l's with {@link org.d2l.rnn.train.Objective#SEQUENCE_SUM}.
 */
public final class MaskedLoss {
    private MaskedLoss() {
    }

    /**
     * d2l's {@code sequence_mask(X, valid_len, value)}: a copy of {@code x} [B, T, ...] (d2l's batch-first layout)
     * with every step at or after row i's valid length set to {@code value}. The steps kept are those of the mask the
     * training batches carry ({@link Seq2SeqBatch}), so what this shows is what the loss leaves out.
     */
    public static INDArray sequenceMask(INDArray x, int[] validLength, double value) {
        Preconditions.checkArgument(x.rank() >= 2 && x.size(0) == validLength.length,
                "sequence_mask needs [batch, steps, ...] with one valid length per row: %s for %s lengths",
                x.shapeInfoToString(), validLength.length);
        for (int v : validLength) {
            Preconditions.checkArgument(v >= 0 && v <= x.size(1), "valid length %s outside 0..%s", v, x.size(1));
        }
        INDArray mask = Tokens.mask(validLength, (int) x.size(1), x.dataType());
        INDArray out = x.dup();
        for (int i = 0; i < validLength.length; i++) {
            for (int t = 0; t < x.size(1); t++) {
                if (mask.getDouble(i, t) == 0) {
                    out.get(NDArrayIndex.point(i), NDArrayIndex.point(t)).assign(value);
                }
            }
        }
        return out;
    }

    /** Σ_i loss_i of d2l's {@code MaskedSoftmaxCELoss} over the minibatch whose DL4J score (B rows) is given. */
    public static double d2lLossSum(double dl4jScore, int batch, int steps) {
        return dl4jScore * batch / steps;
    }

    /** The number d2l's {@code train_seq2seq} prints for this minibatch: Σ_i loss_i / Σ_i valid_len_i. */
    public static double d2lPrintedLoss(double dl4jScore, int batch, int steps, long validTokens) {
        return d2lPrintedLoss(perTokenLoss(dl4jScore, batch, validTokens), steps);
    }

    /** The same from the mean cross-entropy per real target token (e.g. the log of an epoch's perplexity). */
    public static double d2lPrintedLoss(double perTokenLoss, int steps) {
        return perTokenLoss / steps;
    }

    /** Mean cross-entropy per real target token (log of the per-token perplexity). */
    public static double perTokenLoss(double dl4jScore, int batch, long validTokens) {
        return dl4jScore * batch / validTokens;
    }
}
