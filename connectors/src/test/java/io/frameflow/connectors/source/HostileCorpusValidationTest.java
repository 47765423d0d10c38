package io.frameflow.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.HostileCorpus;
import io.frameflow.testkit.HostileCorpus.HostileRecord;
import io.frameflow.testkit.SharedFrames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The validator gives every record of the hostile corpus that can reach a consumer exactly the
 * outcome the corpus expects (the ITCase then shows the same through a real broker and job).
 */
class HostileCorpusValidationTest {

    @Test
    void everyHostileRecordGetsItsExpectedOutcome() {
        long now = System.currentTimeMillis();
        List<HostileRecord> corpus = HostileCorpus.mixedTraffic(42, SharedFrames.load(), now, 1000);
        FrameValidator validator = new FrameValidator();
        Map<String, Integer> outcomes = new TreeMap<>();
        int offset = 0;
        for (HostileRecord h : corpus) {
            if (!h.reachesConsumers()) {
                continue;
            }
            ProducerRecord<byte[], byte[]> p = h.toProducerRecord("frames");
            ConsumerRecord<byte[], byte[]> c =
                    new ConsumerRecord<>(
                            "frames",
                            0,
                            offset++,
                            p.timestamp(),
                            TimestampType.CREATE_TIME,
                            -1,
                            -1,
                            p.key(),
                            p.value(),
                            p.headers(),
                            Optional.empty());
            ValidatedRecord v = validator.validate(c);
            String got = v.isFrame() ? HostileCorpus.FRAME : "dlq:" + v.deadLetter().reasonCode();
            assertThat(got)
                    .as("%s (%s)", h, v.isFrame() ? "" : v.deadLetter().reason())
                    .isEqualTo(h.expected());
            outcomes.merge(got, 1, Integer::sum);
        }
        assertThat(outcomes.keySet())
                .contains(
                        "frame",
                        "dlq:missing-key",
                        "dlq:bad-key",
                        "dlq:empty-value",
                        "dlq:oversized-value",
                        "dlq:bad-timestamp",
                        "dlq:bad-header",
                        "dlq:not-an-image",
                        "dlq:truncated-jpeg",
                        "dlq:corrupt-jpeg",
                        "dlq:truncated-png",
                        "dlq:image-too-large");
    }
}
