package org.d2l.rnn.cli;

import java.nio.file.Path;
import org.d2l.rnn.data.DataHub;
import picocli.CommandLine.Option;

/** Where datasets are cached; the mirror comes from D2L_DATA_MIRROR. */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "datasets",
            description = "Download cache for the corpora (default: ${DEFAULT-VALUE}). A local mirror can be given "
                    + "with the environment variable D2L_DATA_MIRROR (a directory or a base URL).")
    Path dataDir;

    public DataHub hub() {
        return DataHub.fromEnvironment(dataDir);
    }
}
