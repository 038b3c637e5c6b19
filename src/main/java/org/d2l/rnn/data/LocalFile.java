package org.d2l.rnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.d2l.rnn.UserError;

/** The {@code file:<path>} form of a dataset: any local text file, used in place (there is no sha1 to check). */
final class LocalFile {

    static final String PREFIX = "file:";

    private LocalFile() {
    }

    static boolean isLocal(String dataset) {
        return dataset != null && dataset.startsWith(PREFIX);
    }

    /** The path named by {@code dataset}, after checking it is a readable, non-empty regular file. */
    static Path check(String dataset) {
        String pathText = dataset.substring(PREFIX.length());
        if (pathText.isBlank()) {
            throw new UserError("'" + dataset + "' names no file; write it as " + PREFIX + "<path>, e.g. "
                    + PREFIX + "data/my-corpus.txt");
        }
        Path file = toPath(pathText);
        if (!Files.exists(file)) {
            throw new UserError(file + " does not exist; check the path after '" + PREFIX + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + " is not a regular file; give the path of a text file after '" + PREFIX + "'");
        }
        if (!Files.isReadable(file)) {
            throw new UserError(file + " is not readable; check its permissions (e.g. chmod u+r " + file + ")");
        }
        if (size(file) == 0) {
            throw new UserError(file + " is empty; give a text file with some text in it");
        }
        return file;
    }

    private static Path toPath(String pathText) {
        try {
            return Path.of(pathText).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserError("'" + ErrorText.oneLine(pathText) + "' is not a valid path (" + ErrorText.reason(e)
                    + "); check the path after '" + PREFIX + "'");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + ErrorText.reason(e) + "); check the file and its permissions");
        }
    }
}
