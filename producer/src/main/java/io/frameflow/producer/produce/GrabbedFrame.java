package io.frameflow.producer.produce;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One decoded frame, valid until the next {@link FrameSource#next()} call.
 *
 * @param image BGR pixels
 * @param mediaTimeMicros presentation time from the start of the source, or -1 for live sources
 * @param wallMillis wall-clock time when the frame was grabbed
 */
public record GrabbedFrame(Mat image, long mediaTimeMicros, long wallMillis) {}
