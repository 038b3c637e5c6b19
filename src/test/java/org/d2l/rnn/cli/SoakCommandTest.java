package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** soak end to end on a tiny run (its slopes are not checked here: UndetachedMemoryTest bounds the growth). */
class SoakCommandTest {
    @TempDir
    Path dir;

    @Test
    void soakReportsSlopesPerEpochAndWritesItsReport() throws Exception {
        Cli c = Cli.run("soak", "--model", "rnn", "--hidden", "16", "--epochs", "4", "--warmup", "1", "--max-tokens",
                "2000", "--no-detach", "--report", dir.toString(), "--json");
        assertEquals(0, c.code(), c.err());
        JsonNode j = c.json();
        assertEquals(4, j.get("resident_mib_by_epoch").size());
        assertEquals(4, j.get("outside_heap_mib_by_epoch").size());
        assertTrue(Double.isFinite(j.get("resident_slope_mib_per_epoch").asDouble()), j.toString());
        assertTrue(Double.isFinite(j.get("outside_heap_slope_mib_per_epoch").asDouble()), j.toString());
        assertEquals(false, j.get("detached").asBoolean());
        assertTrue(Files.size(dir.resolve("memory.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("README.md")).contains("MiB/epoch"));
    }

    @Test
    void badInputGetsOneLineErrors() {
        Cli.run("soak", "--epochs", "3", "--warmup", "2").errorMentions("--warmup");
        Cli.run("soak", "--model", "transformer").errorMentions("--model");
    }
}
