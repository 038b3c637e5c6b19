package org.d2l.rnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.d2l.rnn.UserError;

/** A file at an http(s) URL: the public download location or a mirror base URL. */
final class HttpSource implements DataSource {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // Until the response headers arrive; the body of a large file may take longer than this.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final URI uri;
    private final String fileName;

    HttpSource(URI uri, String fileName) {
        this.uri = uri;
        this.fileName = fileName;
    }

    @Override
    public void copyTo(Path target) throws FetchFailure, IOException {
        HttpResponse<InputStream> response = send();
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw failure("HTTP " + status, false);
            }
            long declaredLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (OutputStream out = Files.newOutputStream(target)) {
                copyBody(body, out, declaredLength);
            }
        }
    }

    @Override
    public String describe() {
        return uri.toString();
    }

    private HttpResponse<InputStream> send() throws FetchFailure {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        try {
            return SharedClient.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failure(ErrorText.reason(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("download of " + fileName + " from " + uri + " was interrupted; run again");
        }
    }

    // Reads and writes separately so that a failing read (the network) is told apart from a failing write
    // (the local disk, which propagates as IOException), and so that a short body is reported as such.
    private void copyBody(InputStream body, OutputStream out, long declaredLength) throws FetchFailure, IOException {
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                throw received < declaredLength ? truncated(received, declaredLength)
                        : failure(ErrorText.reason(e), true);
            }
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            received += n;
        }
        if (received < declaredLength) {
            throw truncated(received, declaredLength);
        }
    }

    private FetchFailure truncated(long received, long declaredLength) {
        return failure("truncated: got " + received + " of " + declaredLength + " bytes", true);
    }

    private FetchFailure failure(String reason, boolean networkProblem) {
        return new FetchFailure("could not download " + fileName + " from " + uri + " (" + reason + ")", networkProblem);
    }

    // A client owns a selector thread, so all downloads share one, made (holder idiom) only when first needed:
    // a run that finds everything in the cache starts no network machinery at all.
    private static final class SharedClient {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                // Plain HTTP/1.1: an h2c upgrade attempt buys nothing for one download and confuses some proxies.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }
}
