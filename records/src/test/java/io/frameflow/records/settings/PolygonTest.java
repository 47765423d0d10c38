package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonTest {

    private static final Polygon SQUARE =
            Polygon.of(
                    new Point(0.2, 0.2),
                    new Point(0.6, 0.2),
                    new Point(0.6, 0.6),
                    new Point(0.2, 0.6));

    /** An L: the notch (0.3..0.8 x 0.1..0.7) is outside. */
    private static final Polygon L_SHAPE =
            Polygon.of(
                    new Point(0.1, 0.1),
                    new Point(0.3, 0.1),
                    new Point(0.3, 0.7),
                    new Point(0.8, 0.7),
                    new Point(0.8, 0.9),
                    new Point(0.1, 0.9));

    @Test
    void insideAndOutside() {
        assertThat(SQUARE.contains(0.4, 0.4)).isTrue();
        assertThat(SQUARE.contains(0.1, 0.4)).isFalse();
        assertThat(SQUARE.contains(0.7, 0.4)).isFalse();
        assertThat(SQUARE.contains(0.4, 0.1)).isFalse();
        assertThat(SQUARE.contains(0.4, 0.7)).isFalse();
    }

    @Test
    void boundaryAndVerticesAreInside() {
        assertThat(SQUARE.contains(0.2, 0.4)).as("left edge").isTrue();
        assertThat(SQUARE.contains(0.6, 0.4)).as("right edge").isTrue();
        assertThat(SQUARE.contains(0.4, 0.2)).as("top edge").isTrue();
        assertThat(SQUARE.contains(0.4, 0.6)).as("bottom edge").isTrue();
        for (Point p : SQUARE.points()) {
            assertThat(SQUARE.contains(p)).as("vertex " + p).isTrue();
        }
        assertThat(SQUARE.contains(Math.nextDown(0.2), 0.4)).isFalse();
        assertThat(SQUARE.contains(Math.nextUp(0.6), 0.4)).isFalse();
    }

    @Test
    void zoneToTheFrameEdgeContainsAnAnchorOnTheEdge() {
        Polygon counter =
                Polygon.of(
                        new Point(0.3, 0.5),
                        new Point(0.7, 0.5),
                        new Point(0.7, 1),
                        new Point(0.3, 1));
        // a person whose box reaches the bottom of a 1280x720 frame
        Point anchor = Point.anchorOf(500, 400, 700, 720, 1280, 720);
        assertThat(anchor).isEqualTo(new Point(600 / 1280.0, 1));
        assertThat(counter.contains(anchor)).isTrue();
    }

    @Test
    void concavePolygon() {
        assertThat(L_SHAPE.contains(0.2, 0.5)).isTrue();
        assertThat(L_SHAPE.contains(0.5, 0.8)).isTrue();
        assertThat(L_SHAPE.contains(0.5, 0.4)).as("in the notch").isFalse();
        assertThat(L_SHAPE.contains(0.3, 0.4)).as("on the notch's edge").isTrue();
        // a ray through a vertex (y = 0.7 passes the vertices (0.3,0.7) and (0.8,0.7))
        assertThat(L_SHAPE.contains(0.2, 0.7)).isTrue();
        assertThat(L_SHAPE.contains(0.05, 0.7)).isFalse();
        assertThat(L_SHAPE.contains(0.85, 0.7)).isFalse();
    }

    @Test
    void pointOrderDoesNotMatter() {
        List<Point> reversed = new ArrayList<>(L_SHAPE.points());
        java.util.Collections.reverse(reversed);
        Polygon back = new Polygon(reversed);
        for (double x = 0; x <= 1; x += 0.05) {
            for (double y = 0; y <= 1; y += 0.05) {
                assertThat(back.contains(x, y)).isEqualTo(L_SHAPE.contains(x, y));
            }
        }
        assertThat(back.area())
                .isCloseTo(L_SHAPE.area(), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void area() {
        assertThat(SQUARE.area()).isCloseTo(0.16, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(L_SHAPE.area())
                .isCloseTo(0.2 * 0.8 + 0.5 * 0.2, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void refusals() {
        assertRefused(List.of(new Point(0, 0), new Point(1, 1)), "bad-polygon", "at least 3");
        assertRefused(
                List.of(new Point(0, 0), new Point(1, 0), new Point(1, 0), new Point(1, 1)),
                "bad-polygon",
                "point 2 repeats point 1");
        assertRefused(
                List.of(new Point(0, 0), new Point(1, 0), new Point(1, 1), new Point(0, 0)),
                "bad-polygon",
                "drop the last point");
        assertRefused(
                List.of(
                        new Point(0.3, 0.5),
                        new Point(0.7, 0.5),
                        new Point(0.3, 1),
                        new Point(0.7, 1)),
                "bad-polygon",
                "cross or touch");
        assertRefused(
                List.of(new Point(0.1, 0.1), new Point(0.2, 0.2), new Point(0.3, 0.3)),
                "bad-polygon",
                "cross or touch");
        assertRefused(
                List.of(new Point(0, 0), new Point(1, 0), new Point(0.5, 0), new Point(0.5, 1)),
                "bad-polygon",
                "cross or touch");
        List<Point> many = new ArrayList<>();
        for (int i = 0; i < 257; i++) {
            double a = 2 * Math.PI * i / 257;
            many.add(new Point(0.5 + 0.4 * Math.cos(a), 0.5 + 0.4 * Math.sin(a)));
        }
        assertRefused(many, "too-large", "at most 256");
        assertThat(new Polygon(many.subList(0, 256)).points()).hasSize(256);
    }

    @Test
    void aTinyButRealTriangleIsFine() {
        Polygon tiny =
                Polygon.of(new Point(0.5, 0.5), new Point(0.5001, 0.5), new Point(0.5, 0.5001));
        assertThat(tiny.contains(0.50002, 0.50002)).isTrue();
    }

    @Test
    void pointsOutsideTheFrameAreRefused() {
        assertThatThrownBy(() -> new Point(1.01, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the frame");
        assertThatThrownBy(() -> new Point(Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Point(-0.0, 0)).isEqualTo(new Point(0, 0));
        assertThat(Point.ofPixels(-5, 2000, 1920, 1080)).isEqualTo(new Point(0, 1));
    }

    private static void assertRefused(List<Point> points, String code, String text) {
        assertThatThrownBy(() -> new Polygon(points))
                .isInstanceOfSatisfying(
                        InvalidSettingsException.class,
                        e -> assertThat(e.reason.code()).isEqualTo(code))
                .hasMessageContaining(text);
    }
}
