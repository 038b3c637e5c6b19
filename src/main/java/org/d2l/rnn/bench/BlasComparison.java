package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.UserError;
import org.d2l.rnn.runtime.BlasLibrary;
import org.d2l.rnn.runtime.ChildJvm;

/**
 * {@code bench --compare-blas}: the same bench configs with each OpenBLAS library, alternating library by library for
 * several rounds, each run in a JVM of its own (a process loads one BLAS). Alternating, not one library after the
 * other, so that a slow minute of the machine does not land on one library only.
 */
public final class BlasComparison {
    private BlasComparison() {
    }

    /**
     * @param benchArgs the bench options every child gets (configs, iterations, windows, warmup, threads, data dir)
     * @param main      the CLI's main class, run in each child
     */
    public static Result run(List<BlasLibrary> libraries, int rounds, List<String> benchArgs, Class<?> main,
                             PrintWriter out) {
        if (libraries.isEmpty() || rounds < 1) {
            throw new UserError("--compare-blas needs at least one library and --rounds >= 1");
        }
        Map<BlasLibrary, String> descriptions = new LinkedHashMap<>();
        Map<String, Map<BlasLibrary, List<Double>>> tokensPerSec = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (BlasLibrary library : libraries) {
                JsonNode r = child(library, benchArgs, main);
                descriptions.put(library, r.get("blas").asText());
                for (JsonNode row : r.get("configs")) {
                    double tps = row.get("tokens_per_sec").asDouble();
                    tokensPerSec.computeIfAbsent(row.get("config").asText(), c -> new LinkedHashMap<>())
                            .computeIfAbsent(library, l -> new ArrayList<>()).add(tps);
                    out.printf("round %d  %-8s %-16s %9.0f tokens/s%n", round, library.cliName(), row.get("config").asText(),
                            tps);
                }
                out.flush();
            }
        }
        List<Row> rows = new ArrayList<>();
        tokensPerSec.forEach((config, byLibrary) -> rows.add(new Row(config, byLibrary)));
        return new Result(rounds, descriptions, rows);
    }

    private static JsonNode child(BlasLibrary library, List<String> benchArgs, Class<?> main) {
        List<String> args = new ArrayList<>(List.of("bench"));
        args.addAll(benchArgs);
        args.add("--json");
        List<String> cmd = ChildJvm.command(List.of("-D" + BlasLibrary.PROPERTY + "=" + library.cliName()), main, args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String last = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
            if (p.waitFor() != 0 || !last.startsWith("{")) {
                throw new UserError("bench with -D" + BlasLibrary.PROPERTY + "=" + library.cliName() + " failed: " + last);
            }
            return new ObjectMapper().readTree(last);
        } catch (IOException e) {
            throw new UserError("cannot start a JVM for the BLAS comparison (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted during the BLAS comparison");
        }
    }

    /**
     * @param libraries each library's description from its own runs (file, version, kernels it picked)
     */
    public record Result(int rounds, Map<BlasLibrary, String> libraries, List<Row> configs) {
        /** The library with the highest median tokens/s on every config, or null when none is. */
        public BlasLibrary fastestEverywhere() {
            BlasLibrary first = configs.isEmpty() ? null : configs.get(0).fastest();
            return first != null && configs.stream().allMatch(r -> r.fastest() == first) ? first : null;
        }
    }

    /** One config: tokens/s of each library, one value per round. */
    public record Row(String config, Map<BlasLibrary, List<Double>> tokensPerSec) {
        public double median(BlasLibrary library) {
            double[] v = tokensPerSec.get(library).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        public double min(BlasLibrary library) {
            return tokensPerSec.get(library).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        public double max(BlasLibrary library) {
            return tokensPerSec.get(library).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        /** The library with the highest median; ties go to the one listed first. */
        public BlasLibrary fastest() {
            return tokensPerSec.keySet().stream().reduce((a, b) -> median(b) > median(a) ? b : a).orElseThrow();
        }
    }

    /** "maven,system" → the libraries, in that order. */
    public static List<BlasLibrary> parse(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            try {
                BlasLibrary library = BlasLibrary.valueOf(s.toUpperCase(java.util.Locale.ROOT));
                if (library == BlasLibrary.AUTO) {
                    throw new IllegalArgumentException("auto is one of the others");
                }
                return library;
            } catch (IllegalArgumentException e) {
                throw new UserError("--compare-blas takes maven, system and bundled, got '" + s + "'");
            }
        }).distinct().toList();
    }
}
