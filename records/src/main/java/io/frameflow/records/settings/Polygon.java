package io.frameflow.records.settings;

import java.io.Serializable;
import java.util.List;

/**
 * A simple polygon in normalised frame coordinates, closed implicitly (the last point joins the
 * first). JSON: {@code [[x, y], [x, y], [x, y], ...]}.
 *
 * <p>Refused ({@link SettingsReason#BAD_POLYGON}): fewer than 3 points, a point equal to the one
 * before it (including a last point that repeats the first: do not close the ring yourself), edges
 * that cross, touch or run back over each other, and an area below {@link #MIN_AREA}. More than
 * {@link #MAX_POINTS} points: {@link SettingsReason#TOO_LARGE}. Since the polygon is simple, the
 * even-odd and non-zero rules agree, and the point order (clockwise or not) does not matter.
 */
public record Polygon(List<Point> points) implements Serializable {

    /** The most points of one polygon. */
    public static final int MAX_POINTS = 256;

    /**
     * The smallest area (in frame areas: 1 = the whole frame) of a polygon; below it the points lie
     * (next to) on one line.
     */
    public static final double MIN_AREA = 1e-10;

    public Polygon {
        InvalidSettingsException.require(
                points != null && points.size() >= 3,
                SettingsReason.BAD_POLYGON,
                "has "
                        + (points == null ? 0 : points.size())
                        + " points; a polygon needs at least 3");
        InvalidSettingsException.require(
                points.size() <= MAX_POINTS,
                SettingsReason.TOO_LARGE,
                "has " + points.size() + " points; at most " + MAX_POINTS + " are allowed");
        points = List.copyOf(points);
        checkSimple(points);
        double area = area(points);
        InvalidSettingsException.require(
                area >= MIN_AREA,
                SettingsReason.BAD_POLYGON,
                "encloses no area (" + area + "); its points lie on one line");
    }

    public static Polygon of(Point... points) {
        return new Polygon(List.of(points));
    }

    /** The area enclosed, as a fraction of the frame's. */
    public double area() {
        return area(points);
    }

    /**
     * Whether ({@code x}, {@code y}) (normalised) lies inside the polygon or on its boundary.
     *
     * <p>The even-odd rule (a ray from the point crosses the boundary an odd number of times), with
     * the boundary counted as inside: a point exactly on an edge or a vertex is inside, so a zone
     * drawn up to the frame's edge contains objects at that edge (an anchor at y = 1.0), and a
     * point on the edge two zones share is in both. Exact for edges along the axes; for slanted
     * edges "exactly on" is up to double rounding.
     */
    public boolean contains(double x, double y) {
        boolean inside = false;
        int n = points.size();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            Point a = points.get(j);
            Point b = points.get(i);
            if (onSegment(a, b, x, y)) {
                return true;
            }
            if ((b.y() > y) != (a.y() > y)) {
                double xCross = a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
                if (x < xCross) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    public boolean contains(Point p) {
        return contains(p.x(), p.y());
    }

    private static double area(List<Point> points) {
        double twice = 0;
        int n = points.size();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twice += points.get(j).x() * points.get(i).y() - points.get(i).x() * points.get(j).y();
        }
        return Math.abs(twice) / 2;
    }

    /** Refuses repeated points and edges that cross, touch or overlap. */
    private static void checkSimple(List<Point> p) {
        int n = p.size();
        for (int i = 0; i < n; i++) {
            int next = (i + 1) % n;
            InvalidSettingsException.require(
                    !p.get(i).equals(p.get(next)),
                    SettingsReason.BAD_POLYGON,
                    next == 0
                            ? "ends with point "
                                    + i
                                    + ", which repeats point 0; polygons close by themselves,"
                                    + " drop the last point"
                            : "point " + next + " repeats point " + i + "; drop one of them");
        }
        for (int i = 0; i < n; i++) {
            Point a1 = p.get(i);
            Point a2 = p.get((i + 1) % n);
            for (int j = i + 1; j < n; j++) {
                Point b1 = p.get(j);
                Point b2 = p.get((j + 1) % n);
                boolean bad;
                if (j == i + 1) {
                    bad = foldsBack(a1, a2, b2); // share a2 == b1
                } else if (i == 0 && j == n - 1) {
                    bad = foldsBack(b1, b2, a2); // share b2 == a1
                } else {
                    bad = segmentsMeet(a1, a2, b1, b2);
                }
                InvalidSettingsException.require(
                        !bad,
                        SettingsReason.BAD_POLYGON,
                        "edge "
                                + edge(i, n)
                                + " and edge "
                                + edge(j, n)
                                + " cross or touch; list the points in order around the area"
                                + " (clockwise or anticlockwise), without figure-eights");
            }
        }
    }

    private static String edge(int i, int n) {
        return "point " + i + "-point " + ((i + 1) % n);
    }

    /** Edges p-q and q-r run back over each other (a spike). */
    private static boolean foldsBack(Point p, Point q, Point r) {
        double cross = cross(p, q, r);
        double dot = (q.x() - p.x()) * (r.x() - q.x()) + (q.y() - p.y()) * (r.y() - q.y());
        return cross == 0 && dot < 0;
    }

    /** Closed segments a1-a2 and b1-b2 have a point in common. */
    static boolean segmentsMeet(Point a1, Point a2, Point b1, Point b2) {
        double d1 = cross(b1, b2, a1);
        double d2 = cross(b1, b2, a2);
        double d3 = cross(a1, a2, b1);
        double d4 = cross(a1, a2, b2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0))
                && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return (d1 == 0 && within(b1, b2, a1))
                || (d2 == 0 && within(b1, b2, a2))
                || (d3 == 0 && within(a1, a2, b1))
                || (d4 == 0 && within(a1, a2, b2));
    }

    /** (q - p) x (r - p); in y-down frame coordinates negative when r is left of p->q. */
    static double cross(Point p, Point q, Point r) {
        return (q.x() - p.x()) * (r.y() - p.y()) - (q.y() - p.y()) * (r.x() - p.x());
    }

    /** r, known to be on the line p-q, lies within the segment's bounding box. */
    private static boolean within(Point p, Point q, Point r) {
        return r.x() >= Math.min(p.x(), q.x())
                && r.x() <= Math.max(p.x(), q.x())
                && r.y() >= Math.min(p.y(), q.y())
                && r.y() <= Math.max(p.y(), q.y());
    }

    private static boolean onSegment(Point a, Point b, double x, double y) {
        double cross = (b.x() - a.x()) * (y - a.y()) - (b.y() - a.y()) * (x - a.x());
        return cross == 0
                && x >= Math.min(a.x(), b.x())
                && x <= Math.max(a.x(), b.x())
                && y >= Math.min(a.y(), b.y())
                && y <= Math.max(a.y(), b.y());
    }
}
