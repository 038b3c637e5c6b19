package org.d2l.rnn.data;

import java.io.IOException;
import java.nio.file.Path;

/** A place a dataset file can be copied from: a mirror directory, a mirror URL or the public URL. */
interface DataSource {

    /**
     * Writes the file's bytes to {@code target}, replacing what is there.
     *
     * @throws FetchFailure if this source cannot deliver the file (the next source may still work)
     * @throws IOException  if writing {@code target} itself fails (a local problem no other source can fix)
     */
    void copyTo(Path target) throws FetchFailure, IOException;

    /** Where the bytes come from, for log lines and messages. */
    String describe();
}
