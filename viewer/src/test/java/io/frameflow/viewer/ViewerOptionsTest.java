package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewerOptionsTest {

    @Test
    void defaultsBindToLoopbackAndTheStandardTopics() {
        ViewerOptions o = ViewerOptions.parse();
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(8090);
        assertThat(o.token()).isNull();
        assertThat(o.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(o.annotatedTopic()).isEqualTo("frames.annotated");
        assertThat(o.statsTopic()).isEqualTo("frames.stats");
        assertThat(o.fromBeginning()).isFalse();
        assertThat(o.kafka()).isEmpty();
    }

    @Test
    void readsBothOptionStylesAndKafkaPassThrough() {
        ViewerOptions o =
                ViewerOptions.parse(
                        "--host=0.0.0.0",
                        "--port",
                        "9000",
                        "--token=s3cret",
                        "--bootstrap-servers=k1:9092,k2:9092",
                        "--annotated-topic=a",
                        "--stats-topic",
                        "s",
                        "--from-beginning",
                        "--history-minutes=5",
                        "--max-streams=3",
                        "--max-cameras=9",
                        "--stall-timeout=7",
                        "--kafka.security.protocol=SSL",
                        "--kafka.client.id=viewer-1");
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(9000);
        assertThat(o.token()).isEqualTo("s3cret");
        assertThat(o.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(o.annotatedTopic()).isEqualTo("a");
        assertThat(o.statsTopic()).isEqualTo("s");
        assertThat(o.fromBeginning()).isTrue();
        assertThat(o.historyMinutes()).isEqualTo(5);
        assertThat(o.maxStreams()).isEqualTo(3);
        assertThat(o.maxCameras()).isEqualTo(9);
        assertThat(o.stallTimeoutSeconds()).isEqualTo(7);
        assertThat(o.kafka())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("security.protocol", "SSL", "client.id", "viewer-1"));
        assertThat(TopicFollower.consumerProperties(o))
                .containsEntry("security.protocol", "SSL")
                .containsEntry("client.id", "viewer-1")
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092");
        assertThat(o.toString()).doesNotContain("s3cret");
    }

    @Test
    void helpReturnsNull() {
        assertThat(ViewerOptions.parse("--help")).isNull();
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> ViewerOptions.parse("--port=http"))
                .hasMessageContaining("--port must be a whole number");
        assertThatThrownBy(() -> ViewerOptions.parse("--port=70000"))
                .hasMessageContaining("--port must be 0..65535");
        assertThatThrownBy(() -> ViewerOptions.parse("--colour=red"))
                .hasMessageContaining("Unknown option --colour");
        assertThatThrownBy(() -> ViewerOptions.parse("--token"))
                .hasMessageContaining("--token needs a value");
        assertThatThrownBy(() -> ViewerOptions.parse("--token="))
                .hasMessageContaining("--token must not be empty");
        assertThatThrownBy(() -> ViewerOptions.parse("stray"))
                .hasMessageContaining("Unexpected argument 'stray'");
        assertThatThrownBy(() -> ViewerOptions.parse("--max-streams=0"))
                .hasMessageContaining("--max-streams");
        assertThatThrownBy(() -> ViewerOptions.parse("--max-streams=8", "--http-threads=8"))
                .hasMessageContaining("--http-threads must be more than --max-streams");
        assertThatThrownBy(() -> ViewerOptions.parse("--request-timeout=0"))
                .hasMessageContaining("--request-timeout must be >= 1");
    }

    @Test
    void httpThreadsFollowTheStreamsUnlessGiven() {
        ViewerOptions o = ViewerOptions.parse();
        assertThat(o.httpThreadLimit()).isEqualTo(64 + ViewerOptions.EXTRA_HTTP_THREADS);
        assertThat(o.requestTimeoutSeconds()).isEqualTo(10);
        assertThat(ViewerOptions.parse("--max-streams=4").httpThreadLimit())
                .isEqualTo(4 + ViewerOptions.EXTRA_HTTP_THREADS);
        ViewerOptions given =
                ViewerOptions.parse("--max-streams=4", "--http-threads=12", "--request-timeout=3");
        assertThat(given.httpThreadLimit()).isEqualTo(12);
        assertThat(given.requestTimeoutSeconds()).isEqualTo(3);
        assertThat(given.withPort(0).httpThreadLimit()).isEqualTo(12);
    }
}
