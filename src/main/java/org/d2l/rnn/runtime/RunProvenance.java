package org.d2l.rnn.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When, from which code and on what a report's numbers were produced: the date, the git commit (with "+ local
 * changes" when the sources differ from it), a machine line (cores, CPU, BLAS library and kernels, threads, JVM) and
 * the exact command. Every report prints it under its title and stores it in metrics.json under {@code "report"},
 * so a report rendered again from metrics.json still says where its numbers came from.
 */
public record RunProvenance(String date, String commit, String machine, String command) {
    /** The key of metrics.json that holds it. */
    public static final String KEY = "report";

    /** This process, now, running {@code command}. */
    public static RunProvenance now(String command) {
        return new RunProvenance(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), currentCommit(),
                currentMachine(), withHeapOptions(command));
    }

    /**
     * A Maven command as it was launched: with the heap limits given through MAVEN_OPTS (e.g. -Xmx1g) in front, since
     * they change the memory a report shows and the command alone would not reproduce them.
     */
    static String withHeapOptions(String command) {
        String heap = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx") || a.startsWith("-Xms"))
                .collect(java.util.stream.Collectors.joining(" "));
        return command == null || heap.isEmpty() || !command.startsWith("mvn ") ? command
                : "MAVEN_OPTS=\"" + heap + "\" " + command;
    }

    /** The machine line: cores, CPU model, OpenBLAS with its kernels, ND4J/OpenBLAS threads, JVM. */
    public static String currentMachine() {
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), OpenBLAS "
                + NativeRuntime.blasSummary() + ", threads " + NativeRuntime.threads() + ", Java "
                + System.getProperty("java.version") + ", JVM options " + jvmOptions();
    }

    /** Today in UTC, ISO format: the day a report's prose says it was measured on. */
    public static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /**
     * "Date 2026-12-02 (UTC), commit 1b5e423abc + local changes": the sentence the benchmark reports open their
     * machine paragraph with, kept so their text reads as before the three provenance classes became this one.
     */
    public static String dateAndCommit() {
        return "Date " + today() + " (UTC), commit " + currentCommit();
    }

    /** The JVM's -X and -- options: memory and speed depend on them (heap limit, modules). */
    static String jvmOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("--")).collect(java.util.stream.Collectors.joining(" "));
    }

    /**
     * The numbers of a report written before reports carried their provenance: the last commit that changed its
     * metrics.json, and that commit's date; the machine was not recorded.
     */
    public static RunProvenance fromGitHistory(Path metricsJson, String command) {
        String line = git("log", "-1", "--format=%h %cI", "--", metricsJson.toString());
        if (line.isBlank() || line.startsWith("unknown")) {
            return new RunProvenance("unknown", "unknown (not committed)", "not recorded", command);
        }
        String[] parts = line.strip().split(" ", 2);
        return new RunProvenance(parts[1], parts[0], "not recorded (the run predates machine lines)", command);
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", date);
        m.put("commit", commit);
        m.put("machine", machine);
        m.put("command", command);
        return m;
    }

    public static RunProvenance fromMap(Map<?, ?> m) {
        return new RunProvenance(String.valueOf(m.get("date")), String.valueOf(m.get("commit")),
                String.valueOf(m.get("machine")), String.valueOf(m.get("command")));
    }

    /** The lines a report prints under its title. */
    public String markdown() {
        return "- date: " + date + "\n- commit: " + commit + "\n- machine: " + machine + "\n- command: `" + command
                + "`\n";
    }

    /**
     * The commit checked out in the working directory, with a mark when the sources there differ from it; "unknown
     * (why)" without git.
     */
    public static String currentCommit() {
        String head = git("rev-parse", "--short=10", "HEAD").strip();
        if (head.startsWith("unknown")) {
            return head;
        }
        String dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src", "pom.xml").strip();
        return dirty.isEmpty() ? head : head + " + local changes";
    }

    /**
     * The one place this project runs git: its output, or "unknown (why)" when git is missing or fails, so a report
     * says why it has no commit instead of failing.
     */
    private static String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown (not a git checkout)";
            }
            return out;
        } catch (IOException e) {
            return "unknown (git not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static String cpuModel() {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
