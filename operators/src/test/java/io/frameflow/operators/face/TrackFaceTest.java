package io.frameflow.operators.face;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackFaceTest {

    @Test
    void aFaceIsEmbeddedOnceThenOnlyWhenGrownOrAfterAWhileAndAtMostEightTimes() {
        TrackFace t = new TrackFace(4);
        assertThat(t.wantsEmbedding(40, 0)).isTrue();
        t.add(new float[] {1, 0, 0, 0}, 40, 0);
        assertThat(t.wantsEmbedding(45, 500)).as("a little wider, soon after").isFalse();
        assertThat(t.wantsEmbedding(50, 500)).as("1.25 times wider").isTrue();
        assertThat(t.wantsEmbedding(40, TrackFace.REEMBED_MS)).as("2 s later").isTrue();
        for (int i = 1; i < TrackFace.MAX_EMBEDDINGS; i++) {
            t.add(new float[] {0, 1, 0, 0}, 40, i * TrackFace.REEMBED_MS);
        }
        assertThat(t.wantsEmbedding(400, 1_000_000)).as("enough embeddings").isFalse();
    }

    @Test
    void theSumCountAndNameSurviveTheBytes() {
        TrackFace t = new TrackFace(3);
        t.add(new float[] {0.5f, -1, 2}, 33, 1234);
        t.add(new float[] {0.5f, 1, 0}, 44, 5678);
        t.name = "Zoë";
        TrackFace back = TrackFace.fromBytes(t.toBytes());
        assertThat(back.sum).containsExactly(1f, 0f, 2f);
        assertThat(back.count).isEqualTo(2);
        assertThat(back.lastWidth).isEqualTo(44);
        assertThat(back.lastEmbedTs).isEqualTo(5678);
        assertThat(back.name).isEqualTo("Zoë");
        assertThat(TrackFace.fromBytes(new TrackFace(3).toBytes()).name).isNull();
    }
}
