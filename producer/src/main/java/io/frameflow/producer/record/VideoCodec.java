package io.frameflow.producer.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import org.bytedeco.ffmpeg.avcodec.AVCodec;

/**
 * The video encoder for recordings: H.264 through libopenh264 when the FFmpeg build has it (the
 * LGPL javacv build does), else MPEG-4 part 2 (always built in).
 */
public enum VideoCodec {
    H264("libopenh264"),
    MPEG4("mpeg4");

    private final String encoderName;

    VideoCodec(String encoderName) {
        this.encoderName = encoderName;
    }

    public String encoderName() {
        return encoderName;
    }

    /** Whether this FFmpeg build can encode with it. */
    public boolean available() {
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        return codec != null && !codec.isNull();
    }

    /** H.264 when available, else MPEG-4 part 2. */
    public static VideoCodec best() {
        return H264.available() ? H264 : MPEG4;
    }

    static int mpeg4CodecId() {
        return AV_CODEC_ID_MPEG4;
    }
}
