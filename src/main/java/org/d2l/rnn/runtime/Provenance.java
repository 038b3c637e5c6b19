package org.d2l.rnn.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What a measured report states about its run: the date, the code's commit, the machine and the JVM's options. Why
 * the options: memory depends on them (heap limit, the native-heap trim), so a report without them cannot be
 * repeated.
 */
public final class Provenance {
    private Provenance() {
    }

    /** Today in UTC, ISO format. */
    public static String date() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    /** Cores, architecture and Java version of this machine. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version");
    }

    /** The JVM's own options (-X…, --add-modules …); under mvn exec:java these are Maven's JVM's, which runs the code. */
    public static String jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("--")).collect(Collectors.joining(" "));
    }

    /** The working directory's git commit (short), "+ uncommitted changes" when it has them; "unknown" without git. */
    public static String commit() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status != null && !status.isBlank() ? " + uncommitted changes" : "");
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
