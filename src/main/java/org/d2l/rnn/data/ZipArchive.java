package org.d2l.rnn.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.io.FileUtils;
import org.apache.commons.io.file.PathUtils;
import org.d2l.rnn.UserError;

/**
 * The zip archives corpora are shipped in: finding the payload by file name wherever the packer put it, and
 * extracting safely. macOS junk ({@code __MACOSX/}, {@code ._*} resource forks) is ignored throughout, since
 * re-packed archives made on a Mac carry a {@code ._fra.txt} next to every {@code fra.txt}.
 */
final class ZipArchive {

    private ZipArchive() {
    }

    /** The sha1 of the payload entry, or empty if the archive has none. */
    static Optional<String> payloadSha1(Path archive, String payloadName) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Optional<? extends ZipEntry> payload = findPayload(zip, payloadName);
            if (payload.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(payload.get())) {
                return Optional.of(Sha1.of(in));
            }
        }
    }

    /** The payload a previous {@link #extract} left below {@code directory}, if any. */
    static Optional<Path> findExtractedPayload(Path directory, String payloadName) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> isPayload(directory.relativize(file).toString().replace(File.separatorChar, '/'),
                            payloadName))
                    .findFirst();
        }
    }

    /**
     * Extracts {@code archive} into {@code targetDir}, replacing what is there, and returns the payload's path.
     * Extraction goes to a staging directory next to {@code targetDir} that is then renamed into place, so
     * {@code targetDir} is never seen half-written. An entry that would land outside it is a {@link UserError}.
     */
    static Path extract(Path archive, Path targetDir, String payloadName) throws IOException {
        Path staging = Files.createTempDirectory(targetDir.getParent(), "." + targetDir.getFileName() + ".extract-")
                .toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry payload = findPayload(zip, payloadName).orElseThrow(() -> new UserError(
                    archive + " contains no " + payloadName + "; delete it and fetch the dataset again"));
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!isJunk(entry.getName())) {
                    extractEntry(zip, entry, staging, archive);
                }
            }
            if (Files.exists(targetDir)) {
                PathUtils.deleteDirectory(targetDir);
            }
            Files.move(staging, targetDir, StandardCopyOption.ATOMIC_MOVE);
            return targetDir.resolve(payload.getName()).normalize();
        } finally {
            // Nothing left to delete after a successful move; after a failure, no half-extracted tree stays behind.
            FileUtils.deleteQuietly(staging.toFile());
        }
    }

    private static void extractEntry(ZipFile zip, ZipEntry entry, Path root, Path archive) throws IOException {
        Path destination = root.resolve(entry.getName()).normalize();
        // "Zip slip": an entry named ../x or /x would otherwise be written outside the extraction directory.
        if (!destination.startsWith(root)) {
            throw new UserError("unsafe entry '" + ErrorText.oneLine(entry.getName()) + "' in " + archive
                    + " points outside the extraction directory; delete " + archive
                    + " and get the dataset from a trusted source");
        }
        if (entry.isDirectory()) {
            Files.createDirectories(destination);
            return;
        }
        Files.createDirectories(destination.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, destination);
        }
    }

    private static Optional<? extends ZipEntry> findPayload(ZipFile zip, String payloadName) {
        return zip.stream().filter(entry -> !entry.isDirectory() && isPayload(entry.getName(), payloadName)).findFirst();
    }

    private static boolean isPayload(String entryName, String payloadName) {
        return !isJunk(entryName) && fileNameOf(entryName).equals(payloadName);
    }

    private static boolean isJunk(String entryName) {
        return entryName.startsWith("__MACOSX/") || entryName.contains("/__MACOSX/")
                || fileNameOf(entryName).startsWith("._");
    }

    private static String fileNameOf(String entryName) {
        return entryName.substring(entryName.lastIndexOf('/') + 1);
    }
}
