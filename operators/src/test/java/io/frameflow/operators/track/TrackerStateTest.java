package io.frameflow.operators.track;

import static io.frameflow.operators.track.ByteTrackerTest.FRAME_MS;
import static io.frameflow.operators.track.ByteTrackerTest.person;
import static io.frameflow.operators.track.ByteTrackerTest.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

/** The binary state: layout, bounds and refusal of anything it did not write. */
class TrackerStateTest {

    /** Two confirmed tracks (one lost) and one tentative. */
    static ByteTracker threeTracks() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 0, person(100, 300), person(400, 300));
        step(t, FRAME_MS, person(100, 300), person(400, 300));
        step(t, 2 * FRAME_MS, person(400, 300), person(800, 300));
        return t;
    }

    @Test
    void aFlinkStateOfBytesNeedsNoKryo() {
        assertThat(TypeInformation.of(byte[].class))
                .isEqualTo(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    @Test
    void layoutAndSize() {
        ByteTracker t = threeTracks();
        assertThat(t.trackCount()).isEqualTo(3);
        assertThat(t.confirmedTrackCount()).isEqualTo(2);
        byte[] b = t.snapshot().toBytes();
        assertThat(b).hasSize(29 + 3 * 389).hasSize(t.stateBytes());
        ByteBuffer buf = ByteBuffer.wrap(b);
        assertThat(buf.get()).isEqualTo(TrackerState.VERSION);
        assertThat(buf.getInt()).isEqualTo(ByteTrackerTest.W);
        assertThat(buf.getInt()).isEqualTo(ByteTrackerTest.H);
        assertThat(buf.getLong()).isEqualTo(2 * FRAME_MS);
        assertThat(buf.getLong()).isEqualTo(3); // next id
        assertThat(buf.getInt()).isEqualTo(3);
        assertThat(buf.getLong()).isEqualTo(1); // first track's id

        TrackerState s = TrackerState.fromBytes(b);
        assertThat(s.trackCount()).isEqualTo(3);
        assertThat(s.nextId()).isEqualTo(3);
        assertThat(s.sizeBytes()).isEqualTo(b.length);

        ByteTracker empty = new ByteTracker(TrackerSettings.DEFAULTS);
        assertThat(empty.snapshot().toBytes()).hasSize(TrackerState.HEADER_BYTES);
        assertThat(empty.stateBytes()).isEqualTo(29);
        ByteTracker restored =
                ByteTracker.restore(
                        TrackerSettings.DEFAULTS,
                        TrackerState.fromBytes(empty.snapshot().toBytes()));
        assertThat(restored.isIdle()).isTrue();
        assertThat(restored.predict(0)).isEmpty();
    }

    @Test
    void restoringUnderASmallerCapDropsLostTracksFirst() {
        byte[] b = threeTracks().snapshot().toBytes();
        ByteTracker two =
                ByteTracker.restore(
                        TrackerSettings.DEFAULTS.withMaxTracks(2), TrackerState.fromBytes(b));
        assertThat(two.trackCount()).isEqualTo(2);
        // the lost track 1 went; 2 is still tracked, the tentative one still waits
        assertThat(two.predict(2 * FRAME_MS)).extracting(TrackBox::trackId).containsExactly(2L);
        assertThat(step(two, 3 * FRAME_MS, person(400, 300), person(800, 300)).trackIds())
                .containsExactly(2, 3);
    }

    @Test
    void refusesOtherVersionsAndBrokenBytes() {
        byte[] good = threeTracks().snapshot().toBytes();

        assertThatThrownBy(() -> TrackerState.fromBytes(null)).hasMessage("tracker state is null");
        assertThatThrownBy(() -> TrackerState.fromBytes(new byte[10]))
                .hasMessage("tracker state too short: 10 bytes, the header alone is 29");

        byte[] v2 = good.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> TrackerState.fromBytes(v2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tracker state version 2, this build reads version 1");

        assertThatThrownBy(() -> TrackerState.fromBytes(Arrays.copyOf(good, good.length - 1)))
                .hasMessage(
                        "tracker state of 1195 bytes does not hold 3 tracks (1196 bytes expected)");

        byte[] many = good.clone();
        ByteBuffer.wrap(many).putInt(25, 1_000_000);
        assertThatThrownBy(() -> TrackerState.fromBytes(many))
                .hasMessage("tracker state claims 1000000 tracks (0..4096 allowed)");

        byte[] size = good.clone();
        ByteBuffer.wrap(size).putInt(5, 0);
        assertThatThrownBy(() -> TrackerState.fromBytes(size))
                .hasMessage("tracker state frame size 1280x0 is impossible");

        byte[] nextId = good.clone();
        ByteBuffer.wrap(nextId).putLong(17, 0);
        assertThatThrownBy(() -> TrackerState.fromBytes(nextId))
                .hasMessage("tracker state next id 0 is not > 0");

        int track0 = TrackerState.HEADER_BYTES;
        byte[] state = good.clone();
        state[track0 + 12] = 7;
        assertThatThrownBy(() -> TrackerState.fromBytes(state))
                .hasMessage("tracker state track 0: state 7");

        byte[] future = good.clone();
        ByteBuffer.wrap(future).putLong(track0, 3);
        assertThatThrownBy(() -> TrackerState.fromBytes(future))
                .hasMessage("tracker state track 0: id 3 outside 1..2");

        byte[] twice = good.clone();
        ByteBuffer.wrap(twice).putLong(track0 + TrackerState.TRACK_BYTES, 1);
        assertThatThrownBy(() -> TrackerState.fromBytes(twice))
                .hasMessage("tracker state track 1: id 1 twice");

        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).putDouble(track0 + 37, Double.NaN); // mean[0]
        assertThatThrownBy(() -> TrackerState.fromBytes(nan))
                .hasMessage("tracker state track 0: a non-finite number");

        // the tentative third track must not carry an id
        byte[] tentative = good.clone();
        ByteBuffer.wrap(tentative).putLong(track0 + 2 * TrackerState.TRACK_BYTES, 2);
        assertThatThrownBy(() -> TrackerState.fromBytes(tentative))
                .hasMessage("tracker state track 2: tentative with id 2");
    }
}
