package org.d2l.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-lm --workers N: DL4J's ParallelWrapper trains replicas on N minibatches at a time and averages them. */
class DataParallelTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersLearnRepeatablyAndExportAWorkingModel() {
        String[] args = {"train-lm", "--model", "lstm", "--hidden", "32", "--epochs", "4", "--max-tokens", "4000",
            "--batch", "8", "--steps", "20", "--sampling", "random", "--optimizer", "adam", "--lr", "0.01",
            "--workers", "2", "--seed", "9", "--save", dir.resolve("p.zip").toString(), "--json"};
        Cli first = Cli.run(args);
        assertEquals(0, first.code(), first.err());
        JsonNode a = first.json();
        JsonNode ppl = a.get("perplexity_by_epoch");
        assertTrue(ppl.get(3).asDouble() < 0.8 * ppl.get(0).asDouble(), "learns: " + ppl);
        assertEquals(ppl, Cli.run(args).json().get("perplexity_by_epoch"), "same seed, same numbers with 2 workers");
        JsonNode g = Cli.run("generate", "--model", dir.resolve("p.zip").toString(), "--json").json();
        assertEquals(a.get("sample"), g.get("text"), "the averaged model is the one exported");
    }

    @Test
    void workersNeedFreshStateMinibatches() {
        Cli.run("train-lm", "--workers", "2", "--sampling", "sequential").errorMentions("--workers 2 needs --sampling random");
        Cli.run("train-lm", "--workers", "0").errorMentions("--workers");
    }
}
