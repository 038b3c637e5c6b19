package org.d2l.rnn.datavec;

import java.io.DataInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.SequenceRecord;

import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.records.reader.SequenceRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;

/**
 * A DataVec {@link SequenceRecordReader} over a token-index stream: each sequence record is one window of
 * {@code steps} time steps, each step {@code [IntWritable input, IntWritable label]} with the label the next
 * token. Which windows, in which order, is set per epoch by {@link #setWindowStarts(int[])} (a
 * {@link Partitioning}); the corpus itself is held once, not copied per window.
 *
 * <p>It also works with DL4J's stock {@code SequenceRecordReaderDataSetIterator(reader, batch, vocab, 1, false)},
 * which gives index features and one-hot labels.
 */
public class TokenWindowSequenceReader extends BaseRecordReader implements SequenceRecordReader {
    private final int[] corpus;
    private final int steps;
    private int[] starts = new int[0];
    private int cursor;
    private Configuration conf;

    public TokenWindowSequenceReader(int[] corpus, int steps) {
        this.corpus = corpus;
        this.steps = steps;
    }

    /** The windows of the next pass, in order; rewinds the reader. */
    public void setWindowStarts(int[] windowStarts) {
        for (int s : windowStarts) {
            if (s < 0 || s + steps + 1 > corpus.length) {
                throw new IllegalArgumentException("window at " + s + " does not fit a corpus of " + corpus.length);
            }
        }
        this.starts = windowStarts.clone();
        this.cursor = 0;
    }

    public int steps() {
        return steps;
    }

    public int windows() {
        return starts.length;
    }

    int[] corpus() {
        return corpus;
    }

    /** Skips the Writable objects: the fast path the iterator uses to fill arrays directly. */
    int nextWindowStart() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more windows in this pass");
        }
        return starts[cursor++];
    }

    @Override
    public boolean hasNext() {
        return cursor < starts.length;
    }

    @Override
    public List<List<Writable>> sequenceRecord() {
        return window(nextWindowStart());
    }

    private List<List<Writable>> window(int start) {
        List<List<Writable>> seq = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            seq.add(List.of(new IntWritable(corpus[start + t]), new IntWritable(corpus[start + t + 1])));
        }
        return seq;
    }

    @Override
    public SequenceRecord nextSequence() {
        int index = cursor;
        List<List<Writable>> seq = sequenceRecord();
        return new org.datavec.api.records.impl.SequenceRecord(seq, new RecordMetaDataIndex(index, null, TokenWindowSequenceReader.class));
    }

    @Override
    public SequenceRecord loadSequenceFromMetaData(RecordMetaData meta) {
        int index = (int) ((RecordMetaDataIndex) meta).getIndex();
        return new org.datavec.api.records.impl.SequenceRecord(window(starts[index]), meta);
    }

    @Override
    public List<SequenceRecord> loadSequenceFromMetaData(List<RecordMetaData> metas) {
        List<SequenceRecord> out = new ArrayList<>(metas.size());
        metas.forEach(m -> out.add(loadSequenceFromMetaData(m)));
        return out;
    }

    @Override
    public List<List<Writable>> sequenceRecord(URI uri, DataInputStream in) {
        throw new UnsupportedOperationException("windows come from the corpus given at construction, not from streams");
    }

    @Override
    public void initialize(InputSplit split) {
        // the corpus is given at construction; nothing to read from a split
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        setConf(conf);
    }

    @Override
    public List<Writable> next() {
        throw new UnsupportedOperationException("a sequence reader: use sequenceRecord()");
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream in) {
        throw new UnsupportedOperationException("a sequence reader: use sequenceRecord()");
    }

    @Override
    public Record nextRecord() {
        throw new UnsupportedOperationException("a sequence reader: use nextSequence()");
    }

    @Override
    public Record loadFromMetaData(RecordMetaData meta) {
        throw new UnsupportedOperationException("a sequence reader: use loadSequenceFromMetaData()");
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> metas) {
        throw new UnsupportedOperationException("a sequence reader: use loadSequenceFromMetaData()");
    }

    @Override
    public void close() {
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
