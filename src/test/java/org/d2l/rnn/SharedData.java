package org.d2l.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the real corpora: D2L_DATA_MIRROR (CI sets it), else ../shared/datasets. */
public final class SharedData {
    private SharedData() {
    }

    public static Path mirror() {
        String env = System.getenv("D2L_DATA_MIRROR");
        Path dir = env == null || env.isBlank() ? Path.of("../shared/datasets") : Path.of(env);
        assertTrue(Files.isDirectory(dir), "real corpora not found at " + dir.toAbsolutePath()
                + "; set D2L_DATA_MIRROR to the shared datasets directory");
        return dir;
    }

    public static String read(String fileName) {
        try {
            return Files.readString(mirror().resolve(fileName));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
