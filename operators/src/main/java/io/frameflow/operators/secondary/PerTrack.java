package io.frameflow.operators.secondary;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.inference.InferenceResult;
import java.time.Duration;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What the keyed operators of models on crops share: their per-track state and the frame's pixels.
 */
public final class PerTrack {

    /** A track not seen for this long (processing time) is forgotten. */
    public static final Duration TRACK_TTL = Duration.ofMinutes(10);

    private PerTrack() {}

    /**
     * Keyed state (the key: a camera) of track id to bytes; an entry lives as long as the camera
     * keeps showing its track (read or written on each of its frames), then expires.
     */
    public static MapStateDescriptor<Long, byte[]> state(String name) {
        MapStateDescriptor<Long, byte[]> d =
                new MapStateDescriptor<>(
                        name, Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(
                StateTtlConfig.newBuilder(TRACK_TTL)
                        .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                        .build());
        return d;
    }

    /** The frame's pixels at full size, or null when they cannot be decoded. */
    public static Mat pixels(ImageDecoder decoder, InferenceResult.Detected in) {
        try {
            return decoder.decode(in.frame().image(), Integer.MAX_VALUE, Integer.MAX_VALUE).image();
        } catch (UndecodableImageException e) {
            return null; // inference decoded it, so this is not expected; annotation reports it
        }
    }
}
