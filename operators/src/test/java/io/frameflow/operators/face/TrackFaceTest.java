package io.frameflow.operators.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.secondary.TrackAverage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrackFaceTest {

    @Test
    void theSumCountAndNameSurviveTheBytes() {
        TrackFace t = new TrackFace(3);
        t.embeddings.add(new float[] {0.5f, -1, 2}, 33, 1234);
        t.embeddings.add(new float[] {0.5f, 1, 0}, 44, 5678);
        t.name = "Zoë";
        TrackFace back = TrackFace.fromBytes(t.toBytes());
        assertThat(back.embeddings.sum()).containsExactly(1f, 0f, 2f);
        assertThat(back.embeddings.count()).isEqualTo(2);
        // last width 44 and time 5678 came back: 54 px soon after is not 1.25 times wider, 55 is
        assertThat(back.embeddings.wantsSample(54, 5679)).isFalse();
        assertThat(back.embeddings.wantsSample(55, 5679)).isTrue();
        assertThat(back.embeddings.wantsSample(44, 5678 + TrackAverage.RESAMPLE_MS)).isTrue();
        assertThat(back.name).isEqualTo("Zoë");
        assertThat(TrackFace.fromBytes(new TrackFace(3).toBytes()).name).isNull();
    }

    @Test
    void stateWrittenBeforeTheAverageWasSharedStillReads() {
        // version 1 as the fifth session wrote it, field by field: a savepoint taken then restores
        byte[] name = "ada".getBytes(StandardCharsets.UTF_8);
        ByteBuffer old = ByteBuffer.allocate(1 + 4 + 4 + 4 + 8 + 2 * 4 + 4 + name.length);
        old.put((byte) 1).putInt(2).putInt(3).putFloat(40f).putLong(9_000L);
        old.putFloat(0.25f).putFloat(-0.5f).putInt(name.length).put(name);
        TrackFace back = TrackFace.fromBytes(old.array());
        assertThat(back.embeddings.sum()).containsExactly(0.25f, -0.5f);
        assertThat(back.embeddings.count()).isEqualTo(3);
        assertThat(back.name).isEqualTo("ada");
        assertThat(back.toBytes()).isEqualTo(old.array());
    }
}
