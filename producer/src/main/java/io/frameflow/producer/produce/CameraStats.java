package io.frameflow.producer.produce;

import java.util.concurrent.atomic.AtomicLong;

/** Counters for one camera id, written by its source thread and by Kafka callbacks. */
public final class CameraStats {

    private final String cameraId;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong ackedBytes = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();

    public CameraStats(String cameraId) {
        this.cameraId = cameraId;
    }

    public String cameraId() {
        return cameraId;
    }

    /** Frames handed to the Kafka producer. */
    public long sent() {
        return sent.get();
    }

    /** Frames the broker acknowledged. */
    public long acked() {
        return acked.get();
    }

    public long ackedBytes() {
        return ackedBytes.get();
    }

    /** Frames that were not published (rejected by Kafka, unreadable images), each logged. */
    public long errors() {
        return errors.get();
    }

    public long reconnects() {
        return reconnects.get();
    }
}
