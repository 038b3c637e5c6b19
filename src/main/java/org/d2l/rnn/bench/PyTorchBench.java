package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.UserError;

/** Runs one config of the PyTorch reference benchmark (shared/reference/pytorch/bench.py) in its own process. */
public final class PyTorchBench {
    /** Debian's python3-torch lives under the system interpreter, which a pyenv or venv python3 on PATH hides. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private final Path script;
    private final int threads;
    private final int iterations;

    public PyTorchBench(Path script, int threads, int iterations) {
        if (!Files.isRegularFile(script)) {
            throw new UserError("PyTorch benchmark " + script + " not found; give the path of the reference's bench.py "
                    + "(../shared/reference/pytorch/bench.py)");
        }
        this.script = script;
        this.threads = threads;
        this.iterations = iterations;
    }

    /** @return PyTorch's tokens/s at its median iteration, and its median ms per iteration */
    public Result run(String config) {
        List<String> cmd = List.of(PYTHON, script.toString(), "--configs", config, "--threads",
                String.valueOf(threads), "--iters", String.valueOf(iterations));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                String last = out.lines().reduce((a, b) -> b).orElse("");
                throw new UserError("the PyTorch benchmark failed (" + last + "); install PyTorch with "
                        + "'apt-get install python3-torch libopenblas0-pthread' or run bench/compare-with-pytorch.sh");
            }
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new UserError("the PyTorch benchmark printed no result: " + out.strip()));
            JsonNode j = new ObjectMapper().readTree(json);
            return new Result(j.get("tokens_per_sec_median").asDouble(), j.get("ms_per_iter_median").asDouble());
        } catch (IOException e) {
            throw new UserError("cannot run python3 for the PyTorch benchmark (" + e.getMessage()
                    + "); install python3 and python3-torch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while the PyTorch benchmark ran");
        }
    }

    public record Result(double tokensPerSec, double msPerIter) {
    }
}
