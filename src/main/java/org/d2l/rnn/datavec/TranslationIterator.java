package org.d2l.rnn.datavec;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.d2l.rnn.datavec.TranslationPairReader.Column;
import org.d2l.rnn.nn.NativeArrays;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Teacher-forcing minibatches for the seq2seq graph, read from the sequence records of a
 * {@link TranslationPairReader} (DataVec): features {@code src} and {@code tgt_in} as token indices [B, 1, T], the
 * target one-hot [B, V, T] as label, and the two mask columns turned into DL4J masks — feature masks [B, T] for
 * source and decoder input, label mask = target mask (so padding adds nothing to the loss). Shuffled anew every
 * epoch from a seeded RNG, as d2l's DataLoader.
 *
 * <p>The records are written into the arrays here, in the layout DL4J's {@code RecordReaderMultiDataSetIterator}
 * gives them ('f' order, equal batches: {@code TranslationIteratorTest}); that iterator took 0.7 ms a batch of 64
 * converting one Writable at a time into new arrays, 4.6% of a d2l 9.7 run (JFR).
 */
public final class TranslationIterator implements MultiDataSetIterator {
    private final TranslationPairReader reader;
    private final Random rng;
    private final int batch;
    private final int targetVocab;

    public TranslationIterator(TranslationPairReader reader, int batch, int targetVocab, long seed) {
        this.reader = reader;
        this.batch = batch;
        this.targetVocab = targetVocab;
        this.rng = new Random(seed);
        reset();
    }

    public int batch() {
        return batch;
    }

    public int pairs() {
        return reader.size();
    }

    @Override
    public MultiDataSet next() {
        if (!reader.hasNext()) {
            throw new NoSuchElementException("the epoch is over: reset() starts the next");
        }
        List<List<List<Writable>>> records = new ArrayList<>(batch);
        while (records.size() < batch && reader.hasNext()) {
            records.add(reader.sequenceRecord());
        }
        int rows = records.size();
        int steps = records.get(0).size();
        // 'f' order: element [row, t] of a [B, 1, T] or [B, T] array at row + B t, [row, v, t] at row + B (v + V t)
        float[] source = new float[rows * steps];
        float[] targetInput = new float[rows * steps];
        float[] sourceMask = new float[rows * steps];
        float[] targetMask = new float[rows * steps];
        float[] labels = new float[rows * targetVocab * steps];
        for (int row = 0; row < rows; row++) {
            List<List<Writable>> sequence = records.get(row);
            for (int t = 0; t < steps; t++) {
                List<Writable> step = sequence.get(t);
                int at = row + rows * t;
                source[at] = step.get(Column.SOURCE.ordinal()).toInt();
                targetInput[at] = step.get(Column.TARGET_INPUT.ordinal()).toInt();
                sourceMask[at] = step.get(Column.SOURCE_MASK.ordinal()).toInt();
                targetMask[at] = step.get(Column.TARGET_MASK.ordinal()).toInt();
                int token = step.get(Column.TARGET.ordinal()).toInt();
                if (token < 0 || token >= targetVocab) {
                    throw new IllegalStateException("target token " + token + " outside the vocabulary of "
                            + targetVocab);
                }
                labels[row + rows * (token + targetVocab * t)] = 1;
            }
        }
        long[] column = {rows, 1, steps};
        long[] mask = {rows, steps};
        INDArray targetMaskArray = NativeArrays.floats(targetMask, mask, 'f');
        return new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {NativeArrays.floats(source, column, 'f'), NativeArrays.floats(targetInput, column, 'f')},
                new INDArray[] {NativeArrays.floats(labels, new long[] {rows, targetVocab, steps}, 'f')},
                new INDArray[] {NativeArrays.floats(sourceMask, mask, 'f'), targetMaskArray},
                new INDArray[] {targetMaskArray});
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("the batch size is fixed at construction");
    }

    @Override
    public void reset() {
        reader.shuffle(rng);
    }

    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** No prefetch thread: the seeded shuffle must fix the run. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("no preprocessing: the batches are final");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }
}
