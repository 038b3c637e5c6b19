package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A short train-lm run with DL4J's training UI on a free port: what both UI tests look at. One run per JVM, shared:
 * DL4J's UI server is a singleton that stays on the port it first got, so a second --ui run in the same JVM is
 * served on the first one's port.
 */
record UiRun(int port, Cli train) {
    private static UiRun shared;

    static synchronized UiRun shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("d2l-ui-test");
            dir.toFile().deleteOnExit();
            dir.resolve("m.zip").toFile().deleteOnExit(); // runs before the directory's (reverse order)
            shared = start(dir);
        }
        return shared;
    }

    private static UiRun start(Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli train = Cli.run("train-lm", "--model", "lstm", "--hidden", "16", "--epochs", "3", "--max-tokens", "2000",
                "--batch", "8", "--steps", "10", "--ui", "--ui-port", String.valueOf(port), "--save",
                dir.resolve("m.zip").toString(), "--json");
        assertEquals(0, train.code(), train.err());
        UiRun run = new UiRun(port, train);
        assertTrue(train.out().startsWith("training UI: " + run.url("/train/overview")), train.out());
        return run;
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** The trained network's parameter count, as the run printed it. */
    long params() {
        JsonNode result = train.json();
        return result.get("params").asLong();
    }
}
