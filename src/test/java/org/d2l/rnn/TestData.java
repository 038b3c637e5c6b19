package org.d2l.rnn;

import java.nio.file.Path;
import org.d2l.rnn.data.DataHub;

/**
 * The real corpora, fetched the way users get them: through the data hub into the project's {@code datasets/}
 * cache, from the mirror in D2L_DATA_MIRROR (CI: ../shared/datasets) or else the public URLs.
 */
public final class TestData {
    private TestData() {
    }

    public static DataHub hub() {
        return DataHub.fromEnvironment(Path.of("datasets"));
    }

    public static String text(String dataset) {
        return hub().readText(dataset);
    }
}
