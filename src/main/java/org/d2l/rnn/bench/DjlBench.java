package org.d2l.rnn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2l.rnn.UserError;

/**
 * The DJL reference benchmark (shared/reference/djl: DJL on PyTorch 2.7.1, CPU, Intel MKL) in a JVM of its own. DIR
 * is a compiled copy of that project holding {@code target/classes} and {@code classpath.txt} (Maven's
 * {@code dependency:build-classpath}); bench-vs-pytorch.sh builds it under target/ so the shared copy stays clean.
 */
public final class DjlBench extends ReferenceBench {
    private final Path dir;
    private final String classpath;

    public DjlBench(Path dir, int threads, int iterations) {
        super(threads, iterations);
        this.dir = dir;
        Path classes = dir.resolve("target/classes");
        Path cp = dir.resolve("classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(cp)) {
            throw new UserError("no compiled DJL benchmark in " + dir + " (target/classes and classpath.txt); run "
                    + "src/main/scripts/bench-vs-pytorch.sh, which builds it from ../shared/reference/djl");
        }
        try {
            classpath = classes + File.pathSeparator + Files.readString(cp).strip();
        } catch (IOException e) {
            throw new UserError("cannot read " + cp + " (" + e.getMessage() + "); rebuild it with bench-vs-pytorch.sh");
        }
    }

    @Override
    public String name() {
        return "DJL";
    }

    @Override
    public String configName(BenchConfig config) {
        return config.djl();
    }

    @Override
    protected List<String> command(String config) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
                "bench.DjlBench", "--configs", config, "--threads", String.valueOf(threads), "--iters",
                String.valueOf(iterations));
    }

    @Override
    protected String fix() {
        return "rebuild " + dir + " with src/main/scripts/bench-vs-pytorch.sh";
    }

    @Override
    protected String engine(JsonNode line) {
        // libtorch's CPU build that DJL ships (ai.djl.pytorch:pytorch-native-cpu) links Intel MKL statically
        return line.path("engine").asText("DJL") + ", BLAS Intel MKL inside libtorch";
    }
}
