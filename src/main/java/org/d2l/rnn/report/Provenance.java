package org.d2l.rnn.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** When and from which commit a report was made: the date (UTC) and git's commit of the working directory. */
public final class Provenance {
    private Provenance() {
    }

    /** e.g. "Date 2026-12-02 (UTC), commit 1b5e423 (with uncommitted changes)". */
    public static String line() {
        String commit = git("rev-parse", "--short", "HEAD");
        String dirty = git("status", "--porcelain", "--untracked-files=no");
        return "Date " + LocalDate.now(ZoneOffset.UTC) + " (UTC), commit " + (commit == null ? "unknown (no git)" : commit)
                + (dirty != null && !dirty.isEmpty() ? " (with uncommitted changes)" : "");
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null; // no git: the report says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
