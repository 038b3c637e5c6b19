package org.d2l.rnn.datavec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.d2l.rnn.seq2seq.Seq2SeqBatch;
import org.deeplearning4j.datasets.datavec.RecordReaderMultiDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class TranslationIteratorTest {
    private static final int BOS = 1;
    private static final int VOCAB = 9;
    /** Five padded pairs (pad 0, eos 2), each source distinct so a row names its pair. */
    private static final TranslationArrays SOURCE = new TranslationArrays(new int[][] {
        {3, 2, 0, 0}, {4, 5, 2, 0}, {6, 7, 8, 2}, {7, 2, 0, 0}, {8, 3, 2, 0}}, new int[] {2, 3, 4, 2, 3});
    private static final TranslationArrays TARGET = new TranslationArrays(new int[][] {
        {5, 6, 2, 0}, {3, 2, 0, 0}, {4, 4, 4, 2}, {8, 2, 0, 0}, {2, 0, 0, 0}}, new int[] {3, 2, 4, 2, 1});

    private static int pairOf(INDArray sourceRow) {
        for (int p = 0; p < SOURCE.tokens().length; p++) {
            boolean same = true;
            for (int t = 0; t < 4; t++) {
                same &= sourceRow.getInt(0, 0, t) == SOURCE.tokens()[p][t];
            }
            if (same) {
                return p;
            }
        }
        throw new AssertionError("no pair has source " + sourceRow);
    }

    /** The DataVec batch equals the directly built one (features, one-hot labels, masks) for the same rows. */
    @Test
    void dataVecBatchesEqualDirectlyBuiltOnes() {
        TranslationIterator it = new TranslationIterator(TranslationPairReader.of(SOURCE, TARGET, BOS), 5, VOCAB, 11);
        MultiDataSet batch = it.next();
        List<Integer> order = new ArrayList<>();
        for (int row = 0; row < 5; row++) {
            order.add(pairOf(batch.getFeatures(0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(row, row + 1))));
        }
        int[][] src = order.stream().map(p -> SOURCE.tokens()[p]).toArray(int[][]::new);
        int[][] tgt = order.stream().map(p -> TARGET.tokens()[p]).toArray(int[][]::new);
        int[] srcLen = order.stream().mapToInt(p -> SOURCE.validLength()[p]).toArray();
        int[] tgtLen = order.stream().mapToInt(p -> TARGET.validLength()[p]).toArray();
        MultiDataSet direct = Seq2SeqBatch.of(src, srcLen, tgt, tgtLen, BOS, VOCAB, DataType.FLOAT);
        for (int i = 0; i < 2; i++) {
            assertEquals(direct.getFeatures(i), batch.getFeatures(i).castTo(DataType.FLOAT), "feature " + i);
            assertEquals(direct.getFeaturesMaskArray(i), batch.getFeaturesMaskArray(i).castTo(DataType.FLOAT), "mask " + i);
        }
        assertEquals(direct.getLabels(0), batch.getLabels(0).castTo(DataType.FLOAT));
        assertEquals(direct.getLabelsMaskArray(0), batch.getLabelsMaskArray(0).castTo(DataType.FLOAT));
        assertTrue(!it.hasNext());
    }

    /**
     * The batches equal, array for array (values, shape, order, data type), those DL4J's
     * {@link RecordReaderMultiDataSetIterator} makes from the same records, through two epochs with a short last batch.
     */
    @Test
    void batchesEqualDl4jsRecordReaderIterator() {
        TranslationPairReader ours = TranslationPairReader.of(SOURCE, TARGET, BOS);
        TranslationPairReader theirs = TranslationPairReader.of(SOURCE, TARGET, BOS);
        TranslationIterator it = new TranslationIterator(ours, 2, VOCAB, 3);
        java.util.Random shuffle = new java.util.Random(3);
        theirs.shuffle(shuffle);
        String pairs = "pairs";
        var columns = TranslationPairReader.Column.class;
        RecordReaderMultiDataSetIterator dl4j = new RecordReaderMultiDataSetIterator.Builder(2)
                .addSequenceReader(pairs, theirs)
                .addInput(pairs, 0, 0).addInput(pairs, 1, 1).addInput(pairs, 3, 3).addInput(pairs, 4, 4)
                .addOutputOneHot(pairs, 2, VOCAB)
                .build();
        assertEquals(List.of("SOURCE", "TARGET_INPUT", "TARGET", "SOURCE_MASK", "TARGET_MASK"),
                java.util.Arrays.stream(columns.getEnumConstants()).map(Enum::name).toList());
        for (int epoch = 0; epoch < 2; epoch++) {
            int batches = 0;
            while (it.hasNext()) {
                assertTrue(dl4j.hasNext());
                MultiDataSet a = it.next();
                MultiDataSet b = dl4j.next();
                batches++;
                for (int i = 0; i < 2; i++) {
                    same(b.getFeatures(i), a.getFeatures(i), "feature " + i);
                    INDArray mask = b.getFeatures(i + 2);
                    same(mask.reshape(mask.ordering(), mask.size(0), mask.size(2)), a.getFeaturesMaskArray(i), "mask " + i);
                }
                same(b.getLabels(0), a.getLabels(0), "labels");
                assertEquals(a.getFeaturesMaskArray(1), a.getLabelsMaskArray(0));
            }
            assertTrue(!dl4j.hasNext());
            assertEquals(3, batches);
            it.reset();
            theirs.shuffle(shuffle);
            dl4j.reset();
        }
    }

    private static void same(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertEquals(expected.ordering(), actual.ordering(), what);
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        assertEquals(expected, actual, what);
    }

    @Test
    void everyPairOncePerEpochInASeededNewOrder() {
        TranslationIterator a = new TranslationIterator(TranslationPairReader.of(SOURCE, TARGET, BOS), 2, VOCAB, 5);
        TranslationIterator b = new TranslationIterator(TranslationPairReader.of(SOURCE, TARGET, BOS), 2, VOCAB, 5);
        List<List<Integer>> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            List<Integer> seen = new ArrayList<>();
            List<Integer> seenB = new ArrayList<>();
            int batches = 0;
            while (a.hasNext()) {
                MultiDataSet x = a.next();
                MultiDataSet y = b.next();
                batches++;
                for (int row = 0; row < x.getFeatures(0).size(0); row++) {
                    var r = org.nd4j.linalg.indexing.NDArrayIndex.interval(row, row + 1);
                    seen.add(pairOf(x.getFeatures(0).get(r)));
                    seenB.add(pairOf(y.getFeatures(0).get(r)));
                }
            }
            assertEquals(3, batches, "5 pairs in batches of 2: the last one has 1 row, as d2l's DataLoader");
            assertEquals(seen, seenB, "same seed, same order");
            assertEquals(List.of(0, 1, 2, 3, 4), seen.stream().sorted().toList());
            epochs.add(seen);
            a.reset();
            b.reset();
        }
        assertNotEquals(1, epochs.stream().distinct().count(), "the order changes between epochs");
    }
}
