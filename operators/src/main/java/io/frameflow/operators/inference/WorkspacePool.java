package io.frameflow.operators.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A bounded pool of workspaces created on demand. Acquiring blocks when all are in use, which
 * back-pressures preprocessing while inference catches up (only inference releases them, so this
 * cannot deadlock).
 */
final class WorkspacePool implements AutoCloseable {

    private final Supplier<FrameWorkspace> factory;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<FrameWorkspace> idle = new ConcurrentLinkedQueue<>();
    private final List<FrameWorkspace> all = new ArrayList<>();

    WorkspacePool(int size, Supplier<FrameWorkspace> factory) {
        this.factory = factory;
        this.permits = new Semaphore(size);
    }

    FrameWorkspace acquire() throws InterruptedException {
        permits.acquire();
        FrameWorkspace ws = idle.poll();
        if (ws == null) {
            ws = factory.get();
            synchronized (all) {
                all.add(ws);
            }
        }
        return ws;
    }

    void release(FrameWorkspace ws) {
        idle.add(ws);
        permits.release();
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(FrameWorkspace::close);
            all.clear();
        }
        idle.clear();
    }
}
