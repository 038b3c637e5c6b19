package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.d2l.rnn.UserError;
import org.d2l.rnn.io.RunResult;

/**
 * Whole training runs side by side, read from what end-to-end-vs-pytorch.sh left in its directory: per section
 * {@code <section>.ours.json} (our CLI's {@code --json} line), {@code <section>.pytorch.json} (lm.py's or seq2seq.py's
 * {@code --json-out}) and {@code <section>.cmd} (both command lines). Both sides time their training loop only
 * (ours: {@code seconds}; PyTorch: {@code wall_sec}) and count the same tokens (real target tokens for seq2seq).
 */
public final class EndToEnd {
    private EndToEnd() {
    }

    /**
     * @param finished when our run's JSON was written (UTC)
     * @param ours our final perplexity (language models) or d2l's printed loss (seq2seq); the reference's likewise
     */
    public record Row(String section, String oursCommand, String pytorchCommand, double oursSeconds,
                      double oursTokensPerSec, double pytorchSeconds, double pytorchTokensPerSec, double ratio,
                      String quality, double ours, double pytorch, String finished) {
    }

    public record Result(List<Row> sections) implements RunResult {
    }

    public static Result read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no end-to-end runs in " + dir + "; run src/main/scripts/end-to-end-vs-pytorch.sh");
        }
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path ours : files.filter(f -> f.getFileName().toString().endsWith(".ours.json")).sorted().toList()) {
                String section = ours.getFileName().toString().replace(".ours.json", "");
                Path theirs = dir.resolve(section + ".pytorch.json");
                Path cmd = dir.resolve(section + ".cmd");
                if (!Files.isRegularFile(theirs) || !Files.isRegularFile(cmd)) {
                    throw new UserError("section " + section + " has no " + theirs.getFileName() + " or " + cmd.getFileName()
                            + "; run it again with src/main/scripts/end-to-end-vs-pytorch.sh " + section);
                }
                rows.add(row(section, ours, theirs, Files.readAllLines(cmd)));
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + dir + " (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new UserError("no end-to-end runs in " + dir + "; run src/main/scripts/end-to-end-vs-pytorch.sh");
        }
        return new Result(rows);
    }

    private static Row row(String section, Path oursFile, Path theirsFile, List<String> commands) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode ours = json.readTree(oursFile.toFile());
        JsonNode theirs = json.readTree(theirsFile.toFile()).path("summary");
        boolean seq2seq = ours.has("loss_by_epoch");
        double oursQuality = seq2seq ? ours.path("loss").asDouble() : ours.path("perplexity").asDouble();
        double theirQuality = seq2seq ? theirs.path("final_loss").asDouble() : theirs.path("final_ppl").asDouble();
        double oursTps = ours.path("tokens_per_sec").asDouble();
        double theirTps = theirs.path("tokens_per_sec_overall").asDouble();
        return new Row(section, commands.isEmpty() ? "?" : commands.get(0), commands.size() < 2 ? "?" : commands.get(1),
                ours.path("seconds").asDouble(), oursTps, theirs.path("wall_sec").asDouble(), theirTps, oursTps / theirTps,
                seq2seq ? "loss" : "perplexity", oursQuality, theirQuality,
                Instant.ofEpochMilli(Files.getLastModifiedTime(oursFile).toMillis()).toString());
    }
}
