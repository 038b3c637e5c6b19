package org.d2l.rnn.datavec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.d2l.rnn.TestData;
import org.d2l.rnn.UserError;
import org.d2l.rnn.text.Corpus;
import org.d2l.rnn.text.CorpusRecipes;
import org.d2l.rnn.text.Tokenizer;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** d2l 8.3's two partitionings, checked on its 0..34 toy sequence and on the real corpus. */
class LanguageModelIteratorTest {
    private static final int[] TOY = IntStream.range(0, 35).toArray();

    private static LanguageModelIterator toy(Partitioning p, long seed) {
        return LanguageModelIterator.builder().setCorpus(TOY).setVocabSize(35).setBatchSize(2).setSteps(5)
                .optPartitioning(p).optSeed(seed).build();
    }

    private static List<LanguageModelIterator.TokenBatch> epoch(LanguageModelIterator it) {
        List<LanguageModelIterator.TokenBatch> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.nextTokens());
        }
        it.reset();
        return out;
    }

    @Test
    void randomPartitioningGivesDisjointShuffledWindowsOfTheToySequence() {
        for (long seed = 0; seed < 20; seed++) {
            List<LanguageModelIterator.TokenBatch> batches = epoch(toy(Partitioning.RANDOM, seed));
            int offset = batches.get(0).x()[0][0] % 5;
            assertEquals(((35 - offset - 1) / 5) / 2, batches.size(), "d2l: num_subseqs // batch_size batches");
            Set<Integer> starts = new HashSet<>();
            for (var b : batches) {
                for (int r = 0; r < 2; r++) {
                    int s = b.x()[r][0];
                    assertEquals(offset, s % 5, "all windows sit on the epoch's offset grid");
                    assertArrayEquals(IntStream.range(s, s + 5).toArray(), b.x()[r]);
                    assertArrayEquals(IntStream.range(s + 1, s + 6).toArray(), b.y()[r], "Y is X shifted by one");
                    assertTrue(starts.add(s), "no window twice in an epoch");
                }
            }
        }
    }

    @Test
    void randomPartitioningShufflesAndDrawsANewOffsetEachEpoch() {
        LanguageModelIterator it = toy(Partitioning.RANDOM, 7);
        Set<String> epochs = new HashSet<>();
        Set<Integer> offsets = new HashSet<>();
        for (int e = 0; e < 30; e++) {
            List<LanguageModelIterator.TokenBatch> batches = epoch(it);
            offsets.add(batches.get(0).x()[0][0] % 5);
            StringBuilder sb = new StringBuilder();
            batches.forEach(b -> sb.append(b.x()[0][0]).append(',').append(b.x()[1][0]).append(';'));
            epochs.add(sb.toString());
        }
        assertTrue(offsets.size() > 1, "offsets vary between epochs");
        assertTrue(epochs.size() > 10, "orders vary between epochs");
    }

    @Test
    void sequentialPartitioningContinuesEachRowAcrossMinibatches() {
        for (long seed = 0; seed < 20; seed++) {
            List<LanguageModelIterator.TokenBatch> batches = epoch(toy(Partitioning.SEQUENTIAL, seed));
            int offset = batches.get(0).x()[0][0];
            assertTrue(offset >= 0 && offset <= 5);
            int rowLength = (35 - offset - 1) / 2;
            assertEquals(rowLength / 5, batches.size());
            assertEquals(offset + rowLength, batches.get(0).x()[1][0], "row 1 starts half way along");
            for (int k = 1; k < batches.size(); k++) {
                for (int r = 0; r < 2; r++) {
                    assertEquals(batches.get(k - 1).x()[r][4] + 1, batches.get(k).x()[r][0], "row continues");
                    assertEquals(batches.get(k).x()[r][0] + 1, batches.get(k).y()[r][0]);
                }
            }
        }
    }

    @Test
    void noRandomOffsetStartsAtTheFirstToken() {
        LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(TOY).setVocabSize(35).setBatchSize(2)
                .setSteps(5).optPartitioning(Partitioning.SEQUENTIAL).optRandomOffset(false).build();
        for (int e = 0; e < 3; e++) {
            assertEquals(0, epoch(it).get(0).x()[0][0]);
        }
    }

    @Test
    void sameSeedSameBatchesDifferentSeedDifferentBatches() {
        String a = describe(epoch(toy(Partitioning.RANDOM, 3)));
        assertEquals(a, describe(epoch(toy(Partitioning.RANDOM, 3))));
        assertNotEquals(a, describe(epoch(toy(Partitioning.RANDOM, 4))));
    }

    private static String describe(List<LanguageModelIterator.TokenBatch> batches) {
        StringBuilder sb = new StringBuilder();
        batches.forEach(b -> sb.append(java.util.Arrays.deepToString(b.x())));
        return sb.toString();
    }

    @Test
    void oneHotFeaturesAndLabelsInNcwLayout() {
        DataSet ds = toy(Partitioning.SEQUENTIAL, 1).next();
        assertArrayEquals(new long[] {2, 35, 5}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {2, 35, 5}, ds.getLabels().shape());
        assertEquals(10.0, ds.getFeatures().sumNumber().doubleValue(), 0.0, "one 1 per row and step");
        var argmax = Nd4j.argMax(ds.getFeatures(), 1);
        var labelArgmax = Nd4j.argMax(ds.getLabels(), 1);
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 5; t++) {
                assertEquals(argmax.getInt(r, t) + 1, labelArgmax.getInt(r, t));
            }
        }
    }

    @Test
    void indexFeaturesMatchDl4jsStockDataVecIterator() throws Exception {
        LanguageModelIterator ours = LanguageModelIterator.builder().setCorpus(TOY).setVocabSize(35).setBatchSize(2)
                .setSteps(5).optEncoding(FeatureEncoding.INDEX).optRandomOffset(false)
                .optPartitioning(Partitioning.SEQUENTIAL).build();
        TokenWindowSequenceReader reader = new TokenWindowSequenceReader(TOY, 5);
        reader.setWindowStarts(new int[] {0, 17, 5, 22, 10, 27});
        var stock = new SequenceRecordReaderDataSetIterator(reader, 2, 35, 1, false);
        for (int k = 0; k < 3; k++) {
            DataSet a = ours.next();
            DataSet b = stock.next();
            assertArrayEquals(new long[] {2, 1, 5}, a.getFeatures().shape());
            assertEquals(b.getFeatures().castTo(a.getFeatures().dataType()), a.getFeatures());
            assertEquals(b.getLabels().castTo(a.getLabels().dataType()), a.getLabels());
        }
        assertFalse(ours.hasNext());
    }

    @Test
    void timeMachineEpochCoversTheCorpusInWindowsOf35() {
        Corpus c = CorpusRecipes.english("tm", TestData.text("time-machine"), Tokenizer.CHAR, 0, -1);
        for (Partitioning p : Partitioning.values()) {
            LanguageModelIterator it = LanguageModelIterator.builder().setCorpus(c.indices())
                    .setVocabSize(c.vocab().size()).setBatchSize(32).setSteps(35).optPartitioning(p).optSeed(5).build();
            int batches = 0;
            while (it.hasNext()) {
                var b = it.nextTokens();
                int s = indexOfWindow(c.indices(), b.x()[31]);
                assertTrue(s >= 0);
                assertArrayEquals(java.util.Arrays.copyOfRange(c.indices(), s + 1, s + 36), b.y()[31]);
                batches++;
            }
            assertTrue(batches >= 151 && batches <= 152, p + " gave " + batches + " batches");
        }
    }

    private static int indexOfWindow(int[] corpus, int[] window) {
        outer:
        for (int s = 0; s + window.length <= corpus.length; s++) {
            for (int t = 0; t < window.length; t++) {
                if (corpus[s + t] != window[t]) {
                    continue outer;
                }
            }
            return s;
        }
        return -1;
    }

    @Test
    void tooShortACorpusIsAOneLineError() {
        UserError e = assertThrows(UserError.class, () -> LanguageModelIterator.builder().setCorpus(TOY)
                .setVocabSize(35).setBatchSize(4).setSteps(10).build());
        assertTrue(e.getMessage().contains("too short for --batch 4 --steps 10"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(UserError.class, () -> LanguageModelIterator.builder().setCorpus(TOY).setVocabSize(35)
                .setBatchSize(0).setSteps(5).build());
    }
}
