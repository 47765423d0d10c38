package io.frameflow.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How the viewer answers: typed, never sniffed, no body for HEAD, uncached where it matters. */
final class HttpResponses {

    private HttpResponses() {}

    static void sendText(Exchange ex, int status, String text) throws IOException {
        send(
                ex,
                status,
                "text/plain; charset=utf-8",
                (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void trySend(Exchange ex, int status, String text) {
        try {
            sendText(ex, status, text);
        } catch (IOException | RuntimeException e) {
            // headers were already sent or the client is gone: nothing more to say
        }
    }

    static void noCache(Exchange ex) {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    static void send(Exchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
