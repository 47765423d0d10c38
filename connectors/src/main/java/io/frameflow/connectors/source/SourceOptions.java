package io.frameflow.connectors.source;

import io.frameflow.records.wire.FrameWire;
import java.util.HashMap;
import java.util.Map;

/**
 * Where and how the frame source reads. Plain values: the job maps its ConfigOptions onto them.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic the input topic (key camera id, value JPEG/PNG)
 * @param groupId consumer group, for committed offsets and lag monitoring
 * @param startingOffsets where a fresh job starts
 * @param boundedToLatest stop at the end offsets seen at start-up (the job then finishes), for
 *     replays and tests
 * @param maxFrameBytes larger values are dead-lettered ({@code oversized-value})
 * @param maxPixels larger declared sizes are dead-lettered ({@code image-too-large})
 * @param consumerProperties extra Kafka consumer properties
 * @param maxFutureSkewMs records stamped further ahead of the wall clock are dead-lettered ({@code
 *     bad-timestamp})
 */
public record SourceOptions(
        String bootstrapServers,
        String topic,
        String groupId,
        StartingOffsets startingOffsets,
        boolean boundedToLatest,
        int maxFrameBytes,
        long maxPixels,
        Map<String, String> consumerProperties,
        long maxFutureSkewMs) {

    public SourceOptions {
        consumerProperties = consumerProperties == null ? Map.of() : Map.copyOf(consumerProperties);
    }

    /** Unbounded, from the earliest offset, default limits. */
    public static SourceOptions of(String bootstrapServers, String topic, String groupId) {
        return new SourceOptions(
                bootstrapServers,
                topic,
                groupId,
                StartingOffsets.earliest(),
                false,
                FrameWire.DEFAULT_MAX_FRAME_BYTES,
                FrameWire.DEFAULT_MAX_PIXELS,
                Map.of(),
                FrameWire.DEFAULT_MAX_FUTURE_SKEW_MS);
    }

    public SourceOptions withBoundedToLatest(boolean bounded) {
        return copy(bounded, maxFrameBytes, maxPixels, consumerProperties);
    }

    public SourceOptions withLimits(int maxFrameBytes, long maxPixels) {
        return copy(boundedToLatest, maxFrameBytes, maxPixels, consumerProperties);
    }

    public SourceOptions withConsumerProperty(String key, String value) {
        Map<String, String> props = new HashMap<>(consumerProperties);
        props.put(key, value);
        return copy(boundedToLatest, maxFrameBytes, maxPixels, props);
    }

    /** This source with the fields the withers change (the others are set once, by the job). */
    private SourceOptions copy(
            boolean bounded, int maxBytes, long maxPixelCount, Map<String, String> props) {
        return new SourceOptions(
                bootstrapServers,
                topic,
                groupId,
                startingOffsets,
                bounded,
                maxBytes,
                maxPixelCount,
                props,
                maxFutureSkewMs);
    }

    /** Fails with a message that says what to fix. */
    public SourceOptions validate() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka source: bootstrap servers are required");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("Kafka source: an input topic is required");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("Kafka source: a consumer group id is required");
        }
        if (startingOffsets == null) {
            throw new IllegalArgumentException("Kafka source: starting offsets are required");
        }
        if (maxFrameBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException(
                    "Kafka source: frame limits must be positive, got max bytes "
                            + maxFrameBytes
                            + " and max pixels "
                            + maxPixels);
        }
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException(
                    "Kafka source: max future timestamp skew must be >= 0 ms, got "
                            + maxFutureSkewMs);
        }
        return this;
    }
}
