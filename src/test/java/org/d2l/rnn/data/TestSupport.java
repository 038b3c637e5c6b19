package org.d2l.rnn.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.d2l.rnn.UserError;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the data hub tests. */
final class TestSupport {

    private TestSupport() {
    }

    /**
     * The directory with the real corpora: {@code D2L_DATA_MIRROR} when set (CI), else ../shared/datasets.
     * Fails rather than skips when neither exists, so that a broken setup cannot pass unnoticed.
     */
    static Path corporaDir() {
        String fromEnv = System.getenv(DataHub.MIRROR_ENV);
        Path dir = fromEnv == null || fromEnv.isBlank() ? Path.of("../shared/datasets") : Path.of(fromEnv);
        if (!Files.isDirectory(dir)) {
            fail("corpora directory " + dir.toAbsolutePath() + " not found; set " + DataHub.MIRROR_ENV
                    + " to the directory holding timemachine.txt etc.");
        }
        return dir;
    }

    /** A loopback URL on a port nothing listens on, so that connecting is refused at once. */
    static String refusedUrl(String fileName) {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "http://127.0.0.1:" + port + "/" + fileName;
    }

    /** The built-in registry with every public URL replaced by a refused one: nothing can reach the internet. */
    static DatasetRegistry builtInOffline() {
        DatasetRegistry builtIn = DatasetRegistry.builtIn();
        return new DatasetRegistry(builtIn.names().stream()
                .map(builtIn::byName)
                .map(spec -> new DatasetSpec(spec.name(), spec.fileName(), refusedUrl(spec.fileName()), spec.sha1(),
                        spec.payloadName(), spec.payloadSha1()))
                .toList());
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha1(Path file) throws IOException {
        return sha1(Files.readAllBytes(file));
    }

    /** Runs {@code action}, which must throw a {@link UserError} with a one-line message, and returns that message. */
    static String userErrorMessage(Executable action) {
        String message = assertThrows(UserError.class, action).getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "not one line: " + message);
        return message;
    }

    /** The names of the entries of {@code dir}, hidden temp files included. */
    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
