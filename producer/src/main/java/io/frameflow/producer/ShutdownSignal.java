package io.frameflow.producer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT/SIGTERM) as a flag a command polls. The shutdown hook raises the flag and keeps
 * the JVM up (at most {@value #GRACE_SECONDS} s) until the command has done its clean-up (flushed
 * Kafka, closed its files, printed its summary) and closed this signal.
 */
public final class ShutdownSignal implements AutoCloseable {

    private static final int GRACE_SECONDS = 30;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownSignal(String hookName) {
        hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        hookName);
    }

    /** Registers the shutdown hook (a thread named {@code hookName}). */
    public static ShutdownSignal install(String hookName) {
        ShutdownSignal signal = new ShutdownSignal(hookName);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Whether the process was asked to stop (or the command's work is over). */
    public boolean stopRequested() {
        return stop.get();
    }

    /** The flag itself, for workers that poll it. */
    public AtomicBoolean flag() {
        return stop;
    }

    /** Raises the flag (telling workers still running to stop) and lets a pending shutdown go. */
    @Override
    public void close() {
        stop.set(true);
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Ctrl-C: the hook is running and waits for the latch released above
        }
    }
}
