package io.frameflow.operators.inference;

import java.time.Duration;

/**
 * Keeps native resources (the ORT session, pinned buffers, OpenCV workspaces) from being freed
 * while a thread uses them. Threads {@link #enter} before a native call and {@link #exit} after it;
 * {@link #close} refuses new entries, waits a bounded time for those inside, and frees. When some
 * are still inside after the wait (an ORT call cannot be interrupted), the last one to leave frees
 * instead: never a use-after-free, at worst a late free.
 */
final class NativeGate {

    private final String name;
    private int inside;
    private boolean closed;
    private boolean freed;
    private Runnable freeOnLastExit;

    /**
     * @param name what the gate guards, for the refusal's message
     */
    NativeGate(String name) {
        this.name = name;
    }

    /**
     * @throws IllegalStateException once the gate is closed
     */
    synchronized void enter() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        inside++;
    }

    void exit() {
        Runnable free = null;
        synchronized (this) {
            inside--;
            if (inside == 0 && closed) {
                notifyAll();
                free = freeOnLastExit;
                freeOnLastExit = null;
            }
        }
        if (free != null) {
            runFree(free);
        }
    }

    /**
     * Refuses new entries, waits up to {@code wait} for the threads inside, then runs {@code free}
     * (once, on whichever thread finds the gate empty).
     *
     * @return true when the resources are freed on return; false when a thread was still inside,
     *     which frees them when it leaves
     */
    boolean close(Duration wait, Runnable free) {
        synchronized (this) {
            if (closed) {
                return freed;
            }
            closed = true;
            long end = System.nanoTime() + wait.toNanos();
            boolean interrupted = false;
            while (inside > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // still wait (bounded): returning now would not make freeing any safer
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (inside > 0) {
                freeOnLastExit = free;
                return false;
            }
        }
        runFree(free);
        return true;
    }

    private void runFree(Runnable free) {
        free.run();
        synchronized (this) {
            freed = true;
        }
    }

    /** Whether the resources have been freed. */
    synchronized boolean freed() {
        return freed;
    }
}
