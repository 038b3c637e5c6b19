package org.d2l.rnn.data;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A real HTTP server on 127.0.0.1 (random port) so the download path is tested end to end. Unknown paths give 404. */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void serve(String path, byte[] body) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** Declares {@code declaredLength} bytes, sends only {@code body}, then drops the connection. */
    void serveTruncated(String path, byte[] body, long declaredLength) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.flush();
            // Closing a fixed-length body early makes the server drop the connection (and throw, which it logs).
            out.close();
        });
    }

    void serveStatus(String path, int status) {
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
