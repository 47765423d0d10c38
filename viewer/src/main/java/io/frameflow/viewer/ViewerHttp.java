package io.frameflow.viewer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The viewer's HTTP server: Jetty 12 (core, no servlets), bounded and timed.
 *
 * <ul>
 *   <li>Jetty reads requests without holding a thread; a thread ({@value #THREAD_NAME}N, at most
 *       {@code --http-threads} for requests, plus {@value #OWN_THREADS} of Jetty's own) runs each
 *       request's route, and a video stream holds its thread while it lives (so {@code
 *       --max-streams} is below {@code --http-threads}); as many requests may wait for a thread,
 *       further connections are closed.
 *   <li>A connection that has not sent a complete request within {@code --request-timeout}, also
 *       one that trickles a byte now and then, is closed ({@link ConnectionDeadlines}).
 *   <li>A video stream whose client stops reading is cut after {@code --stall-timeout} ({@link
 *       MjpegStreams}); any other answer the client stops taking, and a connection idle, a few
 *       seconds later (Jetty's idle timeout).
 *   <li>What Jetty refuses before any route (a broken escape, an ambiguous path, a header too
 *       large) is answered in one line of plain text, never a page or a trace.
 * </ul>
 */
final class ViewerHttp implements AutoCloseable {

    static final String THREAD_NAME = "viewer-http";

    /** Beyond the stall timeout, until Jetty closes an idle or stalled connection. */
    static final long IDLE_GRACE_MILLIS = 5_000;

    /** Jetty's acceptor and selector threads, and one to spare. */
    static final int OWN_THREADS = 3;

    private final Server server;
    private final ServerConnector connector;
    private final QueuedThreadPool pool;
    private final ConnectionDeadlines deadlines;

    ViewerHttp(ViewerOptions options, Consumer<Exchange> routes) {
        int requestThreads = options.httpThreadLimit();
        pool =
                new QueuedThreadPool(
                        requestThreads + OWN_THREADS,
                        Math.min(4, requestThreads + OWN_THREADS),
                        60_000,
                        new BlockingArrayQueue<>(requestThreads));
        pool.setName(THREAD_NAME);
        pool.setReservedThreads(0);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        // a few seconds past the stall timeout: the stream watchdog (MjpegStreams) cuts a stalled
        // stream first and counts it; this closes what is left, and any other stalled answer
        connector.setIdleTimeout(
                TimeUnit.SECONDS.toMillis(options.stallTimeoutSeconds()) + IDLE_GRACE_MILLIS);
        deadlines = new ConnectionDeadlines(options.requestTimeoutSeconds(), TimeUnit.SECONDS);
        connector.addBean(deadlines);
        server.addConnector(connector);
        server.setHandler(
                new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        Connection connection = request.getConnectionMetaData().getConnection();
                        deadlines.requestStarted(connection);
                        Exchange ex = new Exchange(request, response, callback);
                        try {
                            routes.accept(ex);
                        } finally {
                            deadlines.requestEnded(connection);
                            ex.close();
                        }
                        return true;
                    }
                });
        server.setErrorHandler(ViewerHttp::plainError);
        server.setStopTimeout(2000);
    }

    /** Jetty's own refusals (before any route) as one line of text. */
    private static boolean plainError(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = HttpStatus.getMessage(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        Content.Sink.write(
                response,
                true,
                status + " " + (reason == null ? "error" : reason.toLowerCase()) + "\n",
                callback);
        return true;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("the viewer's HTTP server did not start: " + e.getMessage(), e);
        }
    }

    /** The bound address (the real port when {@code --port=0}). */
    InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** Counters for /healthz. */
    void status(Map<String, Object> m) {
        m.put("httpThreads", pool.getThreads());
        m.put("httpBusyThreads", pool.getBusyThreads());
        m.put("httpQueued", pool.getQueueSize());
        m.put("connections", deadlines.open());
        m.put("requestsCut", deadlines.cut());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        deadlines.close();
    }
}
