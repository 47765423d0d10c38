package io.frameflow.records.settings;

import java.io.Serializable;
import java.util.Set;

/**
 * A named counting line from {@code a} to {@code b} (normalised), optionally only for some classes
 * (empty = every class the camera detects). JSON: {@code {"name":"door","points":[[x,y],[x,y]],
 * "classes":["person"]}}.
 *
 * <p>Direction: look along the line from {@code a} to {@code b}. What is on your left hand is
 * {@link #LEFT}, on your right hand {@link #RIGHT} (in the picture, with y pointing down). Crossing
 * from left to right is {@link #IN}, from right to left {@link #OUT}. To count the other way, swap
 * the two points. docs/camera-settings.md has a picture.
 */
public record Line(String name, Point a, Point b, Set<String> classes) implements Serializable {

    /** {@link #side} of a point on the left of a->b. */
    public static final int LEFT = -1;

    /** {@link #side} of a point on the line through a and b. */
    public static final int ON = 0;

    /** {@link #side} of a point on the right of a->b. */
    public static final int RIGHT = 1;

    /** {@link #crossing}: from left to right. */
    public static final int IN = 1;

    /** {@link #crossing}: from right to left. */
    public static final int OUT = -1;

    /** {@link #crossing}: no crossing. */
    public static final int NONE = 0;

    public Line {
        InvalidSettingsException.require(
                Names.isName(name),
                SettingsReason.BAD_NAME,
                "name "
                        + Names.quote(name)
                        + " is not a name: 1 to 64 letters, digits, spaces or . _ : @ + -,"
                        + " starting with a letter or digit");
        InvalidSettingsException.require(
                a != null && b != null, SettingsReason.BAD_LINE, "needs two points, from and to");
        InvalidSettingsException.require(
                !a.equals(b),
                SettingsReason.BAD_LINE,
                "has two equal points " + format(a) + "; a line needs two different points");
        classes = Names.classes(classes, "line " + Names.quote(name));
    }

    public Line(String name, Point a, Point b) {
        this(name, a, b, Set.of());
    }

    /**
     * Which side of the line (the whole line through a and b, not only the segment) the point
     * ({@code x}, {@code y}) is on: {@link #LEFT}, {@link #RIGHT} or {@link #ON}. The sign of the
     * cross product (b - a) x (p - a), which in y-down frame coordinates is negative on the left.
     */
    public int side(double x, double y) {
        double cross = (b.x() - a.x()) * (y - a.y()) - (b.y() - a.y()) * (x - a.x());
        return cross < 0 ? LEFT : cross > 0 ? RIGHT : ON;
    }

    /**
     * Whether a move from ({@code fromX}, {@code fromY}) to ({@code toX}, {@code toY}) crosses the
     * segment a-b: {@link #IN} (left to right), {@link #OUT} (right to left) or {@link #NONE}.
     *
     * <p>A crossing needs the two positions strictly on opposite sides, and the move must pass
     * through the segment itself (its end points included), not beside it. A position exactly on
     * the line is on neither side: track the last position that was off the line, and call this
     * with it as {@code from}, so that left -> on -> right counts once.
     */
    public int crossing(double fromX, double fromY, double toX, double toY) {
        int s0 = side(fromX, fromY);
        int s1 = side(toX, toY);
        if (s0 == ON || s1 == ON || s0 == s1) {
            return NONE;
        }
        double dx = toX - fromX;
        double dy = toY - fromY;
        double ca = dx * (a.y() - fromY) - dy * (a.x() - fromX);
        double cb = dx * (b.y() - fromY) - dy * (b.x() - fromX);
        if ((ca > 0 && cb > 0) || (ca < 0 && cb < 0)) {
            return NONE; // beside the segment
        }
        return s0 == LEFT ? IN : OUT;
    }

    /** Whether the line counts objects of class {@code label}. */
    public boolean appliesTo(String label) {
        return classes.isEmpty() || classes.contains(label);
    }

    private static String format(Point p) {
        return "[" + p.x() + ", " + p.y() + "]";
    }
}
