package io.frameflow.records;

import java.util.List;

/**
 * The keypoint order of COCO-pose models (Ultralytics YOLOv8/YOLO11-pose and most others trained on
 * COCO keypoints): the index of a keypoint in {@link Detection#keypoints()} names the body part.
 * "Left" and "right" are the person's own, so a person facing the camera has the left shoulder on
 * the picture's right.
 */
public final class PoseKeypoints {

    /** The 17 COCO keypoints, in model output order. */
    public static final List<String> COCO =
            List.of(
                    "nose",
                    "left_eye",
                    "right_eye",
                    "left_ear",
                    "right_ear",
                    "left_shoulder",
                    "right_shoulder",
                    "left_elbow",
                    "right_elbow",
                    "left_wrist",
                    "right_wrist",
                    "left_hip",
                    "right_hip",
                    "left_knee",
                    "right_knee",
                    "left_ankle",
                    "right_ankle");

    public static final int NOSE = 0;
    public static final int LEFT_EYE = 1;
    public static final int RIGHT_EYE = 2;
    public static final int LEFT_SHOULDER = 5;
    public static final int RIGHT_SHOULDER = 6;
    public static final int LEFT_HIP = 11;
    public static final int RIGHT_HIP = 12;
    public static final int LEFT_ANKLE = 15;
    public static final int RIGHT_ANKLE = 16;

    /**
     * The COCO skeleton as pairs of keypoint indices (the limbs a viewer draws): face, arms,
     * shoulders to hips, legs.
     */
    public static final int[][] COCO_SKELETON = {
        {0, 1},
        {0, 2},
        {1, 3},
        {2, 4}, // face
        {5, 6},
        {5, 7},
        {7, 9},
        {6, 8},
        {8, 10}, // shoulders, arms
        {5, 11},
        {6, 12},
        {11, 12}, // torso
        {11, 13},
        {13, 15},
        {12, 14},
        {14, 16} // legs
    };

    private PoseKeypoints() {}
}
