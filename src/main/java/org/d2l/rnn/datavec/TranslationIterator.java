package org.d2l.rnn.datavec;

import java.util.Random;
import org.d2l.rnn.datavec.TranslationPairReader.Column;
import org.deeplearning4j.datasets.datavec.RecordReaderMultiDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Teacher-forcing minibatches for the seq2seq graph, read by DL4J's {@link RecordReaderMultiDataSetIterator}
 * from a {@link TranslationPairReader}: features {@code src} and {@code tgt_in} as token indices [B, 1, T], the
 * target one-hot [B, V, T] as label, and the two mask columns turned into DL4J masks — feature masks [B, T] for
 * source and decoder input, label mask = target mask (so padding adds nothing to the loss). Shuffled anew every
 * epoch from a seeded RNG, as d2l's DataLoader.
 */
public final class TranslationIterator implements MultiDataSetIterator {
    private final TranslationPairReader reader;
    private final RecordReaderMultiDataSetIterator records;
    private final Random rng;
    private final int batch;

    public TranslationIterator(TranslationPairReader reader, int batch, int targetVocab, long seed) {
        this.reader = reader;
        this.batch = batch;
        this.rng = new Random(seed);
        String pairs = "pairs";
        this.records = new RecordReaderMultiDataSetIterator.Builder(batch)
                .addSequenceReader(pairs, reader)
                .addInput(pairs, Column.SOURCE.ordinal(), Column.SOURCE.ordinal())
                .addInput(pairs, Column.TARGET_INPUT.ordinal(), Column.TARGET_INPUT.ordinal())
                .addInput(pairs, Column.SOURCE_MASK.ordinal(), Column.SOURCE_MASK.ordinal())
                .addInput(pairs, Column.TARGET_MASK.ordinal(), Column.TARGET_MASK.ordinal())
                .addOutputOneHot(pairs, Column.TARGET.ordinal(), targetVocab)
                .build();
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
        MultiDataSet m = records.next();
        INDArray[] f = m.getFeatures();
        INDArray sourceMask = asMask(f[2]);
        INDArray targetMask = asMask(f[3]);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {f[0], f[1]}, m.getLabels(),
                new INDArray[] {sourceMask, targetMask}, new INDArray[] {targetMask});
    }

    /** A mask column read as a feature [B, 1, T] becomes a DL4J mask [B, T]. */
    private static INDArray asMask(INDArray column) {
        return column.reshape(column.size(0), column.size(2));
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("the batch size is fixed at construction");
    }

    @Override
    public void reset() {
        reader.shuffle(rng);
        records.reset();
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
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
