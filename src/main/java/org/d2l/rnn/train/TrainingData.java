package org.d2l.rnn.train;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.d2l.rnn.datavec.LanguageModelIterator;
import org.d2l.rnn.datavec.Partitioning;
import org.d2l.rnn.nn.NativeArrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** What the {@link Trainer} needs from a dataset: minibatches, T, d2l's objective, and whether state flows. */
public interface TrainingData {
    /** Time steps per sequence, T. */
    int steps();

    Objective objective();

    /** Whether the recurrent state flows from minibatch to minibatch (d2l's sequential partitioning). */
    boolean carriesState();

    /** Starts a new epoch (new random offsets or a new shuffle). */
    void reset();

    boolean hasNext();

    /** Fits the network on the next minibatch and returns its loss before the update. */
    BatchLoss fitNext(ComputationGraph net);

    /** The state of the data's random generator between epochs, for checkpoints; {@code null}: it has none. */
    byte[] randomState();

    /** Puts back a state from {@link #randomState()}. */
    void restoreRandomState(byte[] state);

    /** Frees what the data still holds of the last epoch (called when training ends); {@link #reset()} starts again. */
    default void release() {
    }

    /** Σ CE over the minibatch's real tokens, and their number. */
    record BatchLoss(double crossEntropySum, long tokens) {
        /** From DL4J's score of an RNN output layer: Σ over time steps and real tokens, mean over the B rows. */
        static BatchLoss of(ComputationGraph net, long batch, long tokens) {
            return new BatchLoss(net.score() * batch, tokens);
        }
    }

    /** The minibatches as one DataSetIterator, for DL4J's data-parallel training; null: not available. */
    default DataSetIterator iterator() {
        return null;
    }

    /** d2l chapter 8's language-model minibatches. */
    static TrainingData of(LanguageModelIterator it) {
        return new LanguageModelData(it);
    }

    /**
     * Sequential minibatches without detaching the state (d2l 8.5's exercise): minibatch k is fitted as the whole
     * epoch so far — windows 0..k joined along time, from a fresh state, with the loss on window k only (a label
     * mask) — so its gradient flows back through every earlier window, as an undetached state's would. The network
     * must train with plain BPTT (no TBPTT). Unlike PyTorch's retained graph, the earlier windows are recomputed
     * with the current parameters.
     */
    static TrainingData undetached(LanguageModelIterator it) {
        return new UndetachedData(it);
    }

    /** See {@link #undetached}. */
    final class UndetachedData extends LanguageModelData {
        private final java.util.List<DataSet> epochSoFar = new java.util.ArrayList<>();

        UndetachedData(LanguageModelIterator it) {
            super(it);
        }

        @Override
        public boolean carriesState() {
            return false; // nothing is carried: each fit recomputes the epoch so far
        }

        /**
         * Frees the epoch's windows: the undetached graph of an epoch is the windows joined so far, and its memory
         * goes back at the end of the epoch instead of whenever the garbage collector runs.
         */
        @Override
        public void reset() {
            release();
            super.reset();
        }

        @Override
        public void release() {
            for (DataSet window : epochSoFar) {
                NativeArrays.free(window.getFeatures(), window.getLabels());
            }
            epochSoFar.clear();
        }

        @Override
        public BatchLoss fitNext(ComputationGraph net) {
            epochSoFar.add(it.next());
            INDArray features = org.nd4j.linalg.factory.Nd4j.concat(2, epochSoFar.stream().map(DataSet::getFeatures)
                    .toArray(INDArray[]::new));
            INDArray labels = org.nd4j.linalg.factory.Nd4j.concat(2, epochSoFar.stream().map(DataSet::getLabels)
                    .toArray(INDArray[]::new));
            long rows = features.size(0);
            long total = features.size(2);
            INDArray mask = org.nd4j.linalg.factory.Nd4j.zeros(labels.dataType(), rows, total);
            mask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(total - it.steps(), total)).assign(1);
            net.fit(new DataSet(features, labels, null, mask));
            BatchLoss loss = BatchLoss.of(net, rows, rows * it.steps());
            // the epoch so far, joined: k + 1 windows long, a new one every minibatch, so freed right after its fit
            // (with one window, concat hands back that window's own array: it stays until the epoch ends)
            DataSet first = epochSoFar.get(0);
            NativeArrays.free(features == first.getFeatures() ? null : features,
                    labels == first.getLabels() ? null : labels, mask);
            return loss;
        }
    }

    /** A {@link LanguageModelIterator}: minibatches of T tokens, d2l's per-token mean loss. */
    class LanguageModelData implements TrainingData {
        protected final LanguageModelIterator it;

        LanguageModelData(LanguageModelIterator it) {
            this.it = it;
        }

        @Override
        public int steps() {
            return it.steps();
        }

        @Override
        public Objective objective() {
            return Objective.TOKEN_MEAN;
        }

        @Override
        public boolean carriesState() {
            return it.partitioning() == Partitioning.SEQUENTIAL;
        }

        @Override
        public void reset() {
            it.reset();
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public BatchLoss fitNext(ComputationGraph net) {
            DataSet batch = it.next();
            net.fit(batch);
            long rows = batch.getFeatures().size(0);
            BatchLoss loss = BatchLoss.of(net, rows, rows * it.steps());
            NativeArrays.free(batch.getFeatures(), batch.getLabels()); // made for this minibatch only
            return loss;
        }

        @Override
        public byte[] randomState() {
            return it.randomState();
        }

        @Override
        public void restoreRandomState(byte[] state) {
            it.restoreRandomState(state);
        }

        @Override
        public DataSetIterator iterator() {
            return it;
        }
    }

    /** Masked sequence-to-sequence minibatches (d2l 9.5–9.7): the label mask marks the real target tokens. */
    static TrainingData of(MultiDataSetIterator it, int steps) {
        return new Source(steps, Objective.SEQUENCE_SUM, false, it::reset, it::hasNext, net -> {
            MultiDataSet batch = it.next();
            net.fit(batch);
            INDArray mask = batch.getLabelsMaskArray(0);
            long rows = batch.getFeatures(0).size(0);
            return BatchLoss.of(net, rows, mask == null ? rows * steps : realTokens(mask));
        });
    }

    /**
     * The ones of a 0/1 mask, counted in Java where it is one whole host buffer: ND4J's sum op cost ~2% of a d2l
     * 9.7 run (JFR), more than the 640 values take.
     */
    private static long realTokens(INDArray mask) {
        if (mask.isView() || mask.data().length() != mask.length() || !mask.dataType().isFPType()) {
            return mask.sumNumber().longValue();
        }
        double sum = 0;
        for (double v : mask.data().asDouble()) {
            sum += v;
        }
        return (long) sum;
    }

    /** TrainingData from its parts. */
    record Source(int steps, Objective objective, boolean carriesState, Runnable resetter, BooleanSupplier more,
                  Function<ComputationGraph, BatchLoss> fitter) implements TrainingData {
        /** The translation iterator draws its shuffles from a seed; its checkpoints are not supported yet. */
        @Override
        public byte[] randomState() {
            return null;
        }

        @Override
        public void restoreRandomState(byte[] state) {
            throw new UnsupportedOperationException("no random state to restore");
        }

        @Override
        public void reset() {
            resetter.run();
        }

        @Override
        public boolean hasNext() {
            return more.getAsBoolean();
        }

        @Override
        public BatchLoss fitNext(ComputationGraph net) {
            return fitter.apply(net);
        }
    }
}
