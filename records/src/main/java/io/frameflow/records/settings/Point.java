package io.frameflow.records.settings;

import java.io.Serializable;

/**
 * A point of the frame in normalised coordinates: {@code x} from 0 (left edge) to 1 (right edge),
 * {@code y} from 0 (top edge) to 1 (bottom edge), as fractions of the width and height, so settings
 * survive a change of resolution. JSON: {@code [x, y]}.
 */
public record Point(double x, double y) implements Serializable {

    public Point {
        InvalidSettingsException.require(
                x >= 0 && x <= 1 && y >= 0 && y <= 1,
                SettingsReason.BAD_COORDINATE,
                "point ["
                        + x
                        + ", "
                        + y
                        + "] is outside the frame; x and y are fractions of the width and height,"
                        + " from 0 to 1 (x right, y down)");
        x += 0.0; // -0.0 -> 0.0: JSON reads both as 0.0
        y += 0.0;
    }

    /**
     * The normalised point of pixel position ({@code px}, {@code py}) in a {@code width} x {@code
     * height} frame, clamped to the frame.
     */
    public static Point ofPixels(double px, double py, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size " + width + "x" + height);
        }
        return new Point(clamp(px / width), clamp(py / height));
    }

    /**
     * The point that stands for a detection box (pixels) in zones, lines and masks: the middle of
     * its bottom edge (where a person or vehicle touches the ground), normalised and clamped to the
     * frame. docs/camera-settings.md explains the choice.
     */
    public static Point anchorOf(
            double x1, double y1, double x2, double y2, int width, int height) {
        return ofPixels((x1 + x2) / 2, Math.max(y1, y2), width, height);
    }

    private static double clamp(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return Math.min(1, Math.max(0, v));
    }
}
