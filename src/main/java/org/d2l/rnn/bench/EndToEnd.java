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
import org.d2l.rnn.io.Json;
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

    /** The command and rows of an earlier report's metrics.json. */
    public record Earlier(String command, List<Row> rows) {
        /** Reads {@code metrics} (a report's metrics.json); a missing or unreadable file is a {@link UserError}. */
        public static Earlier read(Path metrics) {
            try {
                JsonNode root = Json.SNAKE_CASE.readTree(metrics.toFile());
                List<Row> rows = new ArrayList<>();
                for (JsonNode section : root.path("sections")) {
                    rows.add(Json.SNAKE_CASE.treeToValue(section, Row.class));
                }
                return new Earlier(root.path("report").path("command").asText(""), rows);
            } catch (IOException e) {
                throw new UserError("cannot read the earlier end-to-end rows in " + metrics + " (" + e.getMessage()
                        + "); run without --keep-earlier (without KEEP=1 in end-to-end-vs-pytorch.sh) to start a new table");
            }
        }
    }

    /**
     * The rows run into {@code dir}, and the {@code earlier} report's rows of every section not run again (each with
     * the time it finished), sorted by section.
     */
    public static Result read(Path dir, Earlier earlier) {
        List<Row> rows = new ArrayList<>(read(dir).sections());
        for (Row row : earlier.rows()) {
            if (rows.stream().noneMatch(r -> r.section().equals(row.section()))) {
                rows.add(row);
            }
        }
        rows.sort(java.util.Comparator.comparing(Row::section));
        return new Result(rows);
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
