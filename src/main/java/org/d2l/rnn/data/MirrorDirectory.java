package org.d2l.rnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A local directory holding dataset files under their download names, e.g. a shared or offline copy. */
final class MirrorDirectory implements DataSource {

    private final Path directory;
    private final String fileName;

    MirrorDirectory(Path directory, String fileName) {
        this.directory = directory.toAbsolutePath().normalize();
        this.fileName = fileName;
    }

    @Override
    public void copyTo(Path target) throws FetchFailure {
        if (!Files.isDirectory(directory)) {
            throw new FetchFailure("mirror directory " + directory + " does not exist", false);
        }
        Path file = directory.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new FetchFailure("mirror directory " + directory + " has no " + fileName, false);
        }
        try {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FetchFailure("could not copy " + file + " (" + ErrorText.reason(e) + ")", false);
        }
    }

    @Override
    public String describe() {
        return directory.resolve(fileName).toString();
    }
}
