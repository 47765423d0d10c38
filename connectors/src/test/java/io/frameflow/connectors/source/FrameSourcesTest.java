package io.frameflow.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class FrameSourcesTest {

    private static final SourceOptions OPTIONS = SourceOptions.of("b:9092", "frames", "frameflow");

    @Test
    void startingOffsetsParseFromText() {
        assertThat(StartingOffsets.parse("earliest")).isEqualTo(StartingOffsets.earliest());
        assertThat(StartingOffsets.parse(" LATEST ")).isEqualTo(StartingOffsets.latest());
        assertThat(StartingOffsets.parse("committed")).isEqualTo(StartingOffsets.committed());
        assertThat(StartingOffsets.parse("timestamp:1763000000000"))
                .isEqualTo(StartingOffsets.timestamp(1_763_000_000_000L));
        assertThat(StartingOffsets.timestamp(5).toString()).isEqualTo("timestamp:5");
        assertThatThrownBy(() -> StartingOffsets.parse("yesterday"))
                .hasMessage(
                        "starting offsets 'yesterday': use earliest, latest, committed or"
                                + " timestamp:<ms>");
        assertThatThrownBy(() -> StartingOffsets.parse("timestamp:soon"))
                .hasMessageContaining("not a number of ms since epoch");
        assertThatThrownBy(() -> StartingOffsets.timestamp(-1)).hasMessageContaining(">= 0");
    }

    @Test
    void theSourceIsUnboundedUnlessAskedToStopAtTheLatestOffsets() {
        assertThat(FrameSources.kafka(OPTIONS).getBoundedness())
                .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(FrameSources.kafka(OPTIONS.withBoundedToLatest(true)).getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void theSourceEmitsKryoFreeValidatedRecords() {
        assertThat(FrameSources.kafka(OPTIONS).getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void consumerFetchesFitTheFrameLimitAndExtraPropertiesWin() {
        assertThat(
                        FrameSources.consumerProperties(OPTIONS)
                                .getProperty("max.partition.fetch.bytes"))
                .isEqualTo(String.valueOf(8 * 1024 * 1024 + 64 * 1024));
        SourceOptions custom =
                OPTIONS.withLimits(1 << 20, 1_000_000)
                        .withConsumerProperty("max.partition.fetch.bytes", "123456")
                        .withConsumerProperty("security.protocol", "SSL");
        assertThat(FrameSources.consumerProperties(custom))
                .containsEntry("max.partition.fetch.bytes", "123456")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void badOptionsFailAtBuildTimeWithAMessageThatSaysWhatToFix() {
        assertThatThrownBy(() -> FrameSources.kafka(SourceOptions.of(" ", "frames", "g")))
                .hasMessage("Kafka source: bootstrap servers are required");
        assertThatThrownBy(() -> FrameSources.kafka(SourceOptions.of("b:9092", "", "g")))
                .hasMessage("Kafka source: an input topic is required");
        assertThatThrownBy(() -> FrameSources.kafka(SourceOptions.of("b:9092", "frames", null)))
                .hasMessage("Kafka source: a consumer group id is required");
        assertThatThrownBy(() -> FrameSources.kafka(OPTIONS.withLimits(0, 10)))
                .hasMessageContaining("frame limits must be positive");
    }
}
