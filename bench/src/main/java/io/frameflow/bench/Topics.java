package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh set of topics per run, so runs never read each other's records. */
record Topics(String id, String in, String detections, String annotated, String stats, String dlq) {

    private static final AtomicInteger RUNS = new AtomicInteger();

    static Topics create(EmbeddedKafkaBroker broker, int partitions) throws Exception {
        String id = "run" + RUNS.incrementAndGet() + "-" + (System.currentTimeMillis() % 100000);
        Topics t =
                new Topics(
                        id,
                        "frames-" + id,
                        "detections-" + id,
                        "annotated-" + id,
                        "stats-" + id,
                        "dlq-" + id);
        broker.createTopics(partitions, t.in, t.detections, t.annotated, t.stats, t.dlq);
        return t;
    }
}
