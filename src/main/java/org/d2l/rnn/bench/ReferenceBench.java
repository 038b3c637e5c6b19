package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.d2l.rnn.UserError;

/**
 * Another library's training-step benchmark of the same configs (PyTorch's bench.py, DJL's DjlBench), run config by
 * config in a process of its own with the same thread count. Both print one JSON line per config with
 * {@code tokens_per_sec_median}, the tokens/s at their median iteration.
 */
public abstract class ReferenceBench {
    protected final int threads;
    protected final int iterations;
    private String engine;

    protected ReferenceBench(int threads, int iterations) {
        this.threads = threads;
        this.iterations = iterations;
    }

    /** Its name in reports, e.g. "PyTorch". */
    public abstract String name();

    /** Its name of one of our configs, or null where it has no such config. */
    public abstract String configName(BenchConfig config);

    /** The command line that measures one of its configs. */
    protected abstract List<String> command(String config);

    /** What to install or build when it cannot run; ends the one-line error. */
    protected abstract String fix();

    /** Library, version and BLAS as its last run reported them, e.g. "torch 1.13.0a0, BLAS …". */
    protected abstract String engine(JsonNode line);

    /** @return what {@link #engine(JsonNode)} said at the last run, or null before one */
    public String engine() {
        return engine;
    }

    /** @return its tokens/s at its median iteration */
    public double run(String config) {
        return measure(command(config), null, "tokens_per_sec_median");
    }

    /** Runs {@code cmd} (with {@code stdin} as its input when not null) and returns {@code key} of its last JSON line. */
    protected final double measure(List<String> cmd, String stdin, String key) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // read by OpenMP when the native library loads; both libraries also set their thread count themselves
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                String last = out.lines().reduce((a, b) -> b).orElse("");
                throw new UserError("the " + name() + " benchmark failed (" + last + "); " + fix());
            }
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new UserError("the " + name() + " benchmark printed no result: " + out.strip()));
            JsonNode j = new ObjectMapper().readTree(json);
            engine = engine(j);
            if (!j.has(key)) {
                throw new UserError("the " + name() + " benchmark printed no " + key + ": " + json);
            }
            return j.get(key).asDouble();
        } catch (IOException e) {
            throw new UserError("cannot start the " + name() + " benchmark (" + e.getMessage() + "); " + fix());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while the " + name() + " benchmark ran");
        }
    }
}
