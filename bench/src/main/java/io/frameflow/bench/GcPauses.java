package io.frameflow.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's garbage collections as wall-clock windows {@code [start, end]} in ms, from the GC
 * beans' notifications: the bench, the broker and the job share this JVM, so a collection pauses
 * (or, for a concurrent one, slows) them all at once. G1's young and mixed collections are
 * stop-the-world pauses; its concurrent cycles are listed too and say so.
 */
final class GcPauses implements AutoCloseable {

    /** One collection: its window, and whether it stopped the application. */
    record Gc(long startMs, long endMs, String name, boolean pause) {}

    private final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final List<Gc> gcs = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::notified;

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private void notified(Notification n, Object handback) {
        if (!n.getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long start = jvmStart + info.getGcInfo().getStartTime();
        long end = jvmStart + info.getGcInfo().getEndTime();
        // "G1 Concurrent GC" runs beside the application; the others stop it
        boolean pause = !info.getGcName().contains("Concurrent");
        synchronized (gcs) {
            gcs.add(new Gc(start, end, info.getGcName() + " " + info.getGcCause(), pause));
        }
    }

    /** The stop-the-world pauses that overlap {@code [from, to]}, as {@code [start, end]}. */
    List<long[]> pauses(long from, long to) {
        List<long[]> out = new ArrayList<>();
        synchronized (gcs) {
            for (Gc g : gcs) {
                if (g.pause() && g.endMs() >= from && g.startMs() <= to) {
                    out.add(new long[] {g.startMs(), g.endMs()});
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
