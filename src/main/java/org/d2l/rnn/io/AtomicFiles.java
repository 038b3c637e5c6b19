package org.d2l.rnn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.d2l.rnn.UserError;

/**
 * Writes files so that a reader sees the old content or the whole new content, never a half-written file: the
 * bytes go to a temp file in the same directory, which is then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something that writes the whole content into a (temp) file. */
    @FunctionalInterface
    public interface FileWriter {
        void writeTo(Path file) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        writeFile(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
        });
    }

    /** For writers that need a file rather than a stream (e.g. DL4J's ModelSerializer, which edits zips in place). */
    public static void writeFile(Path target, FileWriter writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            writer.writeTo(tmp);
            moveInto(tmp, target);
            tmp = null;
        } catch (java.nio.file.FileSystemException e) {
            throw new UserError("cannot write " + target + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); check the directory exists and is writable");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Fails now, with the same one-line error a later {@link #writeFile} would give, if {@code target}'s directory
     * cannot be made or written — so a long training run does not end by finding that out.
     */
    public static void requireWritable(Path target) {
        Path probe = target.resolveSibling("." + target.getFileName() + ".probe");
        writeFile(probe, tmp -> { });
        deleteQuietly(probe);
    }

    public static void writeString(Path target, String content) {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Renames {@code source} over {@code target} atomically where the file system allows it. */
    public static void moveInto(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the temp file is hidden and named after its target
            }
        }
    }
}
