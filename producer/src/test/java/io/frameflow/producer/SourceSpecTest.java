package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.produce.SourceKind;
import io.frameflow.producer.produce.SourceSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecTest {

    @Test
    void namedSourcesKeepTheirCameraId() {
        SourceSpec s = SourceSpec.parse("cam-1=rtsp://user:pw@10.0.0.5:554/stream1?channel=1");
        assertThat(s.cameraId()).isEqualTo("cam-1");
        assertThat(s.location()).isEqualTo("rtsp://user:pw@10.0.0.5:554/stream1?channel=1");
        assertThat(s.kind()).isEqualTo(SourceKind.STREAM);
    }

    @Test
    void bareLocationsTakeTheirIdFromTheName(@TempDir Path dir) {
        assertThat(SourceSpec.parse("/videos/lobby cam.mp4").cameraId()).isEqualTo("lobby-cam");
        assertThat(SourceSpec.parse("/videos/lobby.mp4").kind()).isEqualTo(SourceKind.FILE);
        SourceSpec url = SourceSpec.parse("http://cam.local:8080/video.mjpg?x=1");
        assertThat(url.kind()).isEqualTo(SourceKind.STREAM);
        assertThat(url.cameraId()).isEqualTo("video.mjpg");
        assertThat(SourceSpec.parse("rtsp://10.0.0.7").cameraId()).isEqualTo("10.0.0.7");
        SourceSpec cam = SourceSpec.parse("/dev/video0");
        assertThat(cam.kind()).isEqualTo(SourceKind.V4L2);
        assertThat(cam.cameraId()).isEqualTo("video0");
        SourceSpec v4l2 = SourceSpec.parse("door=v4l2:/dev/video2");
        assertThat(v4l2.kind()).isEqualTo(SourceKind.V4L2);
        assertThat(v4l2.openTarget()).isEqualTo("/dev/video2");
        SourceSpec folder = SourceSpec.parse(dir.toString() + "/");
        assertThat(folder.kind()).isEqualTo(SourceKind.IMAGE_FOLDER);
        assertThat(folder.cameraId()).isEqualTo(dir.getFileName().toString());
    }

    @Test
    void liveKindsAreTheOnesThatReconnect() {
        assertThat(SourceKind.STREAM.live()).isTrue();
        assertThat(SourceKind.V4L2.live()).isTrue();
        assertThat(SourceKind.FILE.live()).isFalse();
        assertThat(SourceKind.IMAGE_FOLDER.live()).isFalse();
    }
}
