package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerSettingsTest {

    @Test
    void defaultsAreTheReferenceValues() {
        TrackerSettings d = TrackerSettings.DEFAULTS;
        assertThat(d.trackHighThresh()).isEqualTo(0.5f);
        assertThat(d.trackLowThresh()).isEqualTo(0.1f);
        assertThat(d.newTrackThresh()).isEqualTo(0.6f);
        assertThat(d.matchThresh()).isEqualTo(0.8f);
        assertThat(d.lowMatchThresh()).isEqualTo(0.5f);
        assertThat(d.unconfirmedMatchThresh()).isEqualTo(0.7f);
        assertThat(d.fuseScore()).isTrue();
        assertThat(d.minHits()).isEqualTo(2);
        assertThat(d.trackBufferMs()).isEqualTo(1000);
        assertThat(d.maxTracks()).isEqualTo(256);
        assertThat(d.motionStepMs()).isEqualTo(1000.0 / 30);
    }

    @Test
    void withersChangeOneValue() {
        TrackerSettings s = TrackerSettings.DEFAULTS.withMinHits(3).withTrackBufferMs(2000);
        assertThat(s.minHits()).isEqualTo(3);
        assertThat(s.trackBufferMs()).isEqualTo(2000);
        assertThat(s.withMinHits(2).withTrackBufferMs(1000)).isEqualTo(TrackerSettings.DEFAULTS);
        assertThat(TrackerSettings.DEFAULTS.withTrackHighThresh(0.4f).trackHighThresh())
                .isEqualTo(0.4f);
        assertThat(TrackerSettings.DEFAULTS.withTrackLowThresh(0.2f).trackLowThresh())
                .isEqualTo(0.2f);
        assertThat(TrackerSettings.DEFAULTS.withNewTrackThresh(0.7f).newTrackThresh())
                .isEqualTo(0.7f);
        assertThat(TrackerSettings.DEFAULTS.withMatchThresh(0.9f).matchThresh()).isEqualTo(0.9f);
        assertThat(TrackerSettings.DEFAULTS.withLowMatchThresh(0.4f).lowMatchThresh())
                .isEqualTo(0.4f);
        assertThat(
                        TrackerSettings.DEFAULTS
                                .withUnconfirmedMatchThresh(0.6f)
                                .unconfirmedMatchThresh())
                .isEqualTo(0.6f);
        assertThat(TrackerSettings.DEFAULTS.withFuseScore(false).fuseScore()).isFalse();
        assertThat(TrackerSettings.DEFAULTS.withMaxTracks(16).maxTracks()).isEqualTo(16);
        assertThat(TrackerSettings.DEFAULTS.withMotionStepMs(40).motionStepMs()).isEqualTo(40);
    }

    @Test
    void perCameraOverridesFromText() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("minHits", "3");
        o.put(" trackBufferMs ", " 1500 ");
        o.put("fuseScore", "FALSE");
        o.put("newTrackThresh", "0.7");
        TrackerSettings s = TrackerSettings.DEFAULTS.withOverrides(o);
        assertThat(s)
                .isEqualTo(
                        TrackerSettings.DEFAULTS
                                .withMinHits(3)
                                .withTrackBufferMs(1500)
                                .withFuseScore(false)
                                .withNewTrackThresh(0.7f));
        assertThat(TrackerSettings.DEFAULTS.withOverrides(Map.of()))
                .isEqualTo(TrackerSettings.DEFAULTS);

        assertThatThrownBy(() -> TrackerSettings.DEFAULTS.withOverrides(Map.of("minhits", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown tracker setting 'minhits'")
                .hasMessageContaining("minHits");
        assertThatThrownBy(
                        () -> TrackerSettings.DEFAULTS.withOverrides(Map.of("maxTracks", "lots")))
                .hasMessage("tracker setting maxTracks='lots' is not a number");
        assertThatThrownBy(() -> TrackerSettings.DEFAULTS.withOverrides(Map.of("fuseScore", "yes")))
                .hasMessage("tracker setting fuseScore='yes' is not true or false");
        assertThatThrownBy(() -> TrackerSettings.DEFAULTS.withOverrides(Map.of("minHits", "0")))
                .hasMessage("tracker minHits must be 1..1000, got 0");
    }

    @Test
    void badValuesAreRefusedSayingWhatIsAllowed() {
        TrackerSettings d = TrackerSettings.DEFAULTS;
        assertThatThrownBy(() -> d.withTrackHighThresh(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tracker trackHighThresh must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> d.withMatchThresh(Float.NaN))
                .hasMessage("tracker matchThresh must be in (0, 1], got NaN");
        assertThatThrownBy(() -> d.withLowMatchThresh(1.5f))
                .hasMessage("tracker lowMatchThresh must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> d.withTrackLowThresh(0.55f))
                .hasMessage(
                        "tracker trackLowThresh (0.55) must not be above trackHighThresh (0.5)");
        assertThatThrownBy(() -> d.withNewTrackThresh(0.4f))
                .hasMessage(
                        "tracker newTrackThresh (0.4) must not be below trackHighThresh (0.5):"
                                + " only high detections start tracks");
        assertThatThrownBy(() -> d.withMinHits(0))
                .hasMessage("tracker minHits must be 1..1000, got 0");
        assertThatThrownBy(() -> d.withTrackBufferMs(-1))
                .hasMessage("tracker trackBufferMs must be 0..3600000 (one hour), got -1");
        assertThatThrownBy(() -> d.withMaxTracks(0))
                .hasMessage("tracker maxTracks must be 1..4096, got 0");
        assertThatThrownBy(() -> d.withMaxTracks(5000))
                .hasMessage("tracker maxTracks must be 1..4096, got 5000");
        assertThatThrownBy(() -> d.withMotionStepMs(0))
                .hasMessage("tracker motionStepMs must be 1..10000 ms, got 0.0");
    }
}
