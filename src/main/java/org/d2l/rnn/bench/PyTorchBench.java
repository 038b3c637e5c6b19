package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.UserError;

/** The PyTorch reference benchmark (shared/reference/pytorch/bench.py) on Debian's python3-torch. */
public final class PyTorchBench extends ReferenceBench {
    /** Debian's python3-torch lives under the system interpreter, which a pyenv or venv python3 on PATH hides. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    /** Debian's torch calls the BLAS that this alternative points to (torch.__config__ says BLAS_INFO=generic). */
    private static final Path LIBBLAS = Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3");
    private final Path script;

    public PyTorchBench(Path script, int threads, int iterations) {
        super(threads, iterations);
        if (!Files.isRegularFile(script)) {
            throw new UserError("PyTorch benchmark " + script + " not found; give the path of the reference's bench.py "
                    + "(../shared/reference/pytorch/bench.py)");
        }
        this.script = script;
    }

    @Override
    public String name() {
        return "PyTorch";
    }

    @Override
    public String configName(BenchConfig config) {
        return config.pytorch();
    }

    @Override
    protected List<String> command(String config) {
        return List.of(PYTHON, script.toString(), "--configs", config, "--threads", String.valueOf(threads), "--iters",
                String.valueOf(iterations));
    }

    /**
     * Greedy generation with lm.py's own {@code predict} (beside bench.py) and an untrained LSTM-256, as
     * {@link PipelineBenchmarks#generationCharsPerSec} measures ours: chars/s, median of the timed runs.
     */
    public double generationCharsPerSec(int chars, int warmup, int repeats) {
        Path lm = script.toAbsolutePath().getParent().resolve("lm.py");
        String code;
        try (var in = PyTorchBench.class.getResourceAsStream("/bench/pytorch-generation.py")) {
            code = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("bench/pytorch-generation.py missing from the classpath", e);
        }
        return measure(List.of(PYTHON, "-", lm.toString(), "--chars", String.valueOf(chars), "--threads",
                String.valueOf(threads), "--warmup", String.valueOf(warmup), "--repeats", String.valueOf(repeats)),
                code, "chars_per_sec_median");
    }

    @Override
    protected String fix() {
        return "install PyTorch with 'apt-get install python3-torch libopenblas0-pthread' or run "
                + "src/main/scripts/bench-vs-pytorch.sh";
    }

    @Override
    protected String engine(JsonNode line) {
        String blas;
        try {
            blas = LIBBLAS.toRealPath().toString();
        } catch (IOException e) {
            blas = "unknown (" + LIBBLAS + " missing)";
        }
        return "torch " + line.path("torch").asText("?") + " (Debian python3-torch), BLAS " + blas;
    }
}
