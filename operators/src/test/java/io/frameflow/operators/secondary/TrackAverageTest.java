package io.frameflow.operators.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TrackAverageTest {

    @Test
    void aTrackIsSampledOnceThenOnlyWhenGrownOrAfterAWhileAndAtMostEightTimes() {
        TrackAverage t = new TrackAverage(4);
        assertThat(t.wantsSample(40, 0)).isTrue();
        t.add(new float[] {1, 0, 0, 0}, 40, 0);
        assertThat(t.wantsSample(45, 500)).as("a little wider, soon after").isFalse();
        assertThat(t.wantsSample(50, 500)).as("1.25 times wider").isTrue();
        assertThat(t.wantsSample(40, 2_000)).as("2 s later").isTrue();
        for (int i = 1; i < 8; i++) {
            t.add(new float[] {0, 1, 0, 0}, 40, i * 2_000L);
        }
        assertThat(t.wantsSample(400, 1_000_000)).as("eight samples are enough").isFalse();
    }

    @Test
    void theBestIsTheLargestAverage() {
        TrackAverage t = new TrackAverage(3);
        assertThat(t.best().index()).isEqualTo(-1);
        t.add(new float[] {0.2f, 0.7f, 0.1f}, 40, 0);
        t.add(new float[] {0.6f, 0.3f, 0.1f}, 50, 100);
        t.add(new float[] {0.1f, 0.8f, 0.1f}, 60, 200);
        // averages 0.3, 0.6, 0.1: one frame saying class 0 does not outvote two saying class 1
        assertThat(t.best().index()).isEqualTo(1);
        assertThat(t.best().value()).isCloseTo(0.6f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void itSurvivesItsBytes() {
        TrackAverage t = new TrackAverage(2);
        t.add(new float[] {0.25f, 0.75f}, 33, 1234);
        ByteBuffer b = ByteBuffer.allocate(t.byteSize());
        t.write(b);
        assertThat(b.remaining()).isZero();
        b.flip();
        TrackAverage back = TrackAverage.read(b);
        assertThat(back.sum()).containsExactly(0.25f, 0.75f);
        assertThat(back.count()).isEqualTo(1);
        assertThat(back.wantsSample(41, 1300)).isFalse();
        assertThat(back.wantsSample(42, 1300)).isTrue();
    }
}
