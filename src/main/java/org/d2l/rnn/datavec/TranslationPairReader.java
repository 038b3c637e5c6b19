package org.d2l.rnn.datavec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.datavec.api.records.reader.impl.collection.CollectionSequenceRecordReader;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;

/**
 * A DataVec sequence record reader over translation pairs in d2l's {@code build_array_nmt} form: one sequence
 * record per pair, {@code steps} time steps, each step the columns of {@link Column}. {@link #shuffle} re-orders
 * the pairs for a new epoch, as d2l's shuffled DataLoader does.
 */
public final class TranslationPairReader extends CollectionSequenceRecordReader {
    /** The columns of every time step. */
    public enum Column {
        /** source token index */
        SOURCE,
        /** decoder input: {@code <bos>} then the target shifted right (teacher forcing) */
        TARGET_INPUT,
        /** target token index (the label) */
        TARGET,
        /** 1 where the source token is real, 0 on padding */
        SOURCE_MASK,
        /** 1 where the target token is real, 0 on padding */
        TARGET_MASK
    }

    private final List<List<List<Writable>>> pairs;

    private TranslationPairReader(List<List<List<Writable>>> pairs) {
        super(pairs);
        this.pairs = pairs;
    }

    public static TranslationPairReader of(TranslationArrays source, TranslationArrays target, int bos) {
        int steps = target.tokens()[0].length;
        List<List<List<Writable>>> pairs = new ArrayList<>(source.tokens().length);
        for (int i = 0; i < source.tokens().length; i++) {
            List<List<Writable>> sequence = new ArrayList<>(steps);
            for (int t = 0; t < steps; t++) {
                sequence.add(List.of(
                        new IntWritable(source.tokens()[i][t]),
                        new IntWritable(t == 0 ? bos : target.tokens()[i][t - 1]),
                        new IntWritable(target.tokens()[i][t]),
                        new IntWritable(t < source.validLength()[i] ? 1 : 0),
                        new IntWritable(t < target.validLength()[i] ? 1 : 0)));
            }
            pairs.add(sequence);
        }
        return new TranslationPairReader(pairs);
    }

    /** A new order of the pairs; rewinds the reader. */
    public void shuffle(Random rng) {
        Collections.shuffle(pairs, rng);
        reset();
    }

    public int size() {
        return pairs.size();
    }
}
