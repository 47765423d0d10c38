package io.frameflow.viewer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer on Jetty, in the few terms the viewer's routes use: the method, the
 * raw path and query, request headers and body, response headers, status and body. Closing it
 * completes the exchange (Jetty's callback); a route that throws fails it, and Jetty then closes
 * the connection if the answer had started.
 */
final class Exchange implements AutoCloseable {

    /** The request target as sent, still percent-encoded. */
    record Target(String getRawPath, String getRawQuery) {}

    /** The request's headers. */
    final class RequestHeaders {
        String getFirst(String name) {
            return request.getHeaders().get(name);
        }

        List<String> get(String name) {
            List<String> values = request.getHeaders().getValuesList(name);
            return values.isEmpty() ? null : values;
        }
    }

    /** The answer's headers, until it is committed. */
    final class ResponseHeaders {
        void set(String name, String value) {
            response.getHeaders().put(name, value);
        }

        void add(String name, String value) {
            response.getHeaders().add(name, value);
        }
    }

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final RequestHeaders requestHeaders = new RequestHeaders();
    private final ResponseHeaders responseHeaders = new ResponseHeaders();
    private OutputStream body;
    private boolean completed;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String getRequestMethod() {
        return request.getMethod();
    }

    Target getRequestURI() {
        return new Target(request.getHttpURI().getPath(), request.getHttpURI().getQuery());
    }

    RequestHeaders getRequestHeaders() {
        return requestHeaders;
    }

    ResponseHeaders getResponseHeaders() {
        return responseHeaders;
    }

    /**
     * Sets the status; {@code length} -1 = no body, 0 = a body of unknown length (streamed), else
     * the body's length.
     */
    void sendResponseHeaders(int status, long length) throws IOException {
        response.setStatus(status);
        if (length > 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        } else if (length < 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        }
    }

    OutputStream getResponseBody() {
        if (body == null) {
            // closed once however often it is closed: a route closes it, and so does close()
            body =
                    new FilterOutputStream(Content.Sink.asOutputStream(response)) {
                        private boolean closed;

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            if (!closed) {
                                closed = true;
                                super.close();
                            }
                        }
                    };
        }
        return body;
    }

    InputStream getRequestBody() {
        return Content.Source.asInputStream(request);
    }

    /** The Jetty request, for what the routes do not need (the connection). */
    Request request() {
        return request;
    }

    /** Completes the answer: the body's last write, then Jetty's callback. */
    @Override
    public void close() {
        if (completed) {
            return;
        }
        completed = true;
        try {
            if (body != null) {
                body.close();
            }
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    /** Ends the exchange as failed: Jetty answers 500 if nothing was sent, else closes. */
    void fail(Throwable cause) {
        if (!completed) {
            completed = true;
            callback.failed(cause);
        }
    }
}
