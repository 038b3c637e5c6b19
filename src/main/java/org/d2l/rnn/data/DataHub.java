package org.d2l.rnn.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets dataset files onto disk, checked against their sha1, like d2l's {@code download()}/{@code DATA_HUB}.
 *
 * <p>A dataset is looked for (a) in the cache directory, (b) in the mirror, if any (a local directory or a base
 * URL holding files under their download names), (c) at its public URL. What is fetched lands in a temp file in
 * the cache directory, is sha1-checked and only then atomically renamed into place, so the cache never holds a
 * half-written or wrong file. Archives are extracted to {@code <cacheDir>/<name>/} the same way.
 *
 * <p>Every failure the user can fix is a one-line {@link UserError} that says how.
 */
public final class DataHub {

    /** Environment variable naming the mirror: a directory or a base URL. */
    public static final String MIRROR_ENV = "D2L_DATA_MIRROR";
    /** Where datasets are cached when no directory is given: {@code datasets} under the working directory. */
    public static final Path DEFAULT_CACHE_DIR = Path.of("datasets");

    private static final Logger log = LoggerFactory.getLogger(DataHub.class);

    private final Path cacheDir;
    private final String mirror;
    private final DatasetRegistry registry;

    /**
     * @param cacheDir     where fetched files are kept; {@code null} for {@link #DEFAULT_CACHE_DIR}
     * @param mirrorOrNull a directory or an http(s) base URL holding the dataset files; {@code null} or blank for none
     * @param registry     the datasets known by name
     */
    public DataHub(Path cacheDir, String mirrorOrNull, DatasetRegistry registry) {
        this.cacheDir = cacheDir == null ? DEFAULT_CACHE_DIR : cacheDir;
        this.mirror = mirrorOrNull == null || mirrorOrNull.isBlank() ? null : mirrorOrNull.strip();
        this.registry = Objects.requireNonNull(registry, "registry");
        if (mirror != null && isUrl(mirror)) {
            checkMirrorUrl(mirror);
        }
    }

    /** A hub over the built-in datasets, with the mirror taken from {@value #MIRROR_ENV}. */
    public static DataHub fromEnvironment(Path cacheDir) {
        return new DataHub(cacheDir, System.getenv(MIRROR_ENV), DatasetRegistry.builtIn());
    }

    /**
     * The file to read for {@code dataset}: a registry name (the downloaded text file, or an archive's extracted
     * payload) or {@code file:<path>} (that local file, checked to exist and be non-empty).
     */
    public Path fetch(String dataset) {
        if (LocalFile.isLocal(dataset)) {
            return LocalFile.check(dataset);
        }
        DatasetSpec spec = registry.byName(dataset);
        try {
            Files.createDirectories(cacheDir);
            return spec.isArchive() ? fetchPayload(spec) : cachedOrDownloaded(spec);
        } catch (IOException e) {
            throw new UserError("cannot use the dataset cache " + cacheDir.toAbsolutePath() + " ("
                    + ErrorText.reason(e) + "); check its permissions and free space, or choose another directory", e);
        }
    }

    /** The text of {@code dataset} (see {@link #fetch}), which must be non-blank, valid UTF-8. */
    public String readText(String dataset) {
        Path file = fetch(dataset);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + ErrorText.reason(e) + "); check the file and its permissions", e);
        }
        String text = StrictUtf8.decode(bytes, file);
        if (text.isBlank()) {
            throw new UserError(file + " is empty or only whitespace; give a text file with some text in it");
        }
        return text;
    }

    private Path fetchPayload(DatasetSpec spec) throws IOException {
        Path extractDir = cacheDir.resolve(spec.name());
        Optional<Path> extracted = ZipArchive.findExtractedPayload(extractDir, spec.payloadName());
        if (extracted.isPresent()) {
            if (Sha1.of(extracted.get()).equals(spec.payloadSha1())) {
                log.info("{}: using cached {}", spec.name(), extracted.get());
                return extracted.get();
            }
            log.warn("{}: cached {} has the wrong sha1; extracting it again", spec.name(), extracted.get());
        }
        Path archive = cachedOrDownloaded(spec);
        Path payload = ZipArchive.extract(archive, extractDir, spec.payloadName());
        log.info("{}: extracted {} from {}", spec.name(), payload, archive);
        return payload;
    }

    private Path cachedOrDownloaded(DatasetSpec spec) throws IOException {
        Path cached = cacheDir.resolve(spec.fileName());
        if (Files.isRegularFile(cached)) {
            Optional<String> problem = Integrity.problem(spec, cached);
            if (problem.isEmpty()) {
                log.info("{}: using cached {}", spec.name(), cached);
                return cached;
            }
            log.warn("{}: cached {} {}; fetching it again", spec.name(), cached, problem.get());
            Files.delete(cached);
        }
        return download(spec, cached);
    }

    private Path download(DatasetSpec spec, Path target) throws IOException {
        List<FetchFailure> failures = new ArrayList<>();
        for (DataSource source : sourcesFor(spec)) {
            try {
                copyVerified(spec, source, target);
                log.info("{}: got {} from {}", spec.name(), spec.fileName(), source.describe());
                return target;
            } catch (FetchFailure failure) {
                log.warn("{}: {}", spec.name(), failure.getMessage());
                failures.add(failure);
            }
        }
        throw new UserError(failureMessage(spec, failures));
    }

    private void copyVerified(DatasetSpec spec, DataSource source, Path target) throws FetchFailure, IOException {
        // The temp file lives in the cache directory itself so that the final move is a same-filesystem rename.
        Path partial = Files.createTempFile(cacheDir, "." + spec.fileName() + ".", ".part");
        try {
            source.copyTo(partial);
            Optional<String> problem = Integrity.problem(spec, partial);
            if (problem.isPresent()) {
                throw new FetchFailure(spec.fileName() + " from " + source.describe() + " " + problem.get(), false);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private List<DataSource> sourcesFor(DatasetSpec spec) {
        List<DataSource> sources = new ArrayList<>();
        if (mirror != null) {
            sources.add(isUrl(mirror)
                    ? new HttpSource(URI.create(withTrailingSlash(mirror) + spec.fileName()), spec.fileName())
                    : new MirrorDirectory(Path.of(mirror), spec.fileName()));
        }
        sources.add(new HttpSource(URI.create(spec.url()), spec.fileName()));
        return sources;
    }

    private String failureMessage(DatasetSpec spec, List<FetchFailure> failures) {
        boolean networkProblem = failures.stream().anyMatch(FetchFailure::isNetworkProblem);
        String hint = mirror == null
                ? (networkProblem ? "no network? " : "") + "set " + MIRROR_ENV
                        + " to a directory or base URL that holds " + spec.fileName()
                : "put a good copy of " + spec.fileName() + " into the mirror " + mirror
                        + (networkProblem ? " or check the network" : "");
        return failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")) + "; " + hint;
    }

    private static boolean isUrl(String location) {
        String lowerCase = location.toLowerCase(Locale.ROOT);
        return lowerCase.startsWith("http://") || lowerCase.startsWith("https://");
    }

    private static String withTrailingSlash(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    }

    // Checked up front so that a typo in the mirror URL is reported as such, not as a failed download.
    private static void checkMirrorUrl(String baseUrl) {
        try {
            URI.create(withTrailingSlash(baseUrl) + "probe.txt");
        } catch (IllegalArgumentException e) {
            throw new UserError("mirror '" + ErrorText.oneLine(baseUrl) + "' is not a valid URL (" + ErrorText.reason(e)
                    + "); fix " + MIRROR_ENV + ", e.g. http://host:8000/datasets/");
        }
    }
}
