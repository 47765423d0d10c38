package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The direction convention of docs/camera-settings.md, on the door line. */
class LineTest {

    /** From the top of the frame to the bottom, at x = 0.85. */
    private static final Line DOOR = new Line("door", new Point(0.85, 0), new Point(0.85, 1));

    @Test
    void lookingFromAToBLeftAndRight() {
        // looking down the frame (a at the top, b at the bottom), the left hand is the +x side
        assertThat(DOOR.side(0.95, 0.5)).isEqualTo(Line.LEFT);
        assertThat(DOOR.side(0.50, 0.5)).isEqualTo(Line.RIGHT);
        assertThat(DOOR.side(0.85, 0.3)).isEqualTo(Line.ON);
        assertThat(DOOR.side(0.85, 1.7))
                .as("the whole line, not only the segment")
                .isEqualTo(Line.ON);

        // a line from left to right: the left hand is up (y smaller)
        Line across = new Line("across", new Point(0, 0.5), new Point(1, 0.5));
        assertThat(across.side(0.5, 0.2)).isEqualTo(Line.LEFT);
        assertThat(across.side(0.5, 0.8)).isEqualTo(Line.RIGHT);
    }

    @Test
    void crossingLeftToRightIsIn() {
        // entering through the door at the right edge: moving from x > 0.85 to x < 0.85
        assertThat(DOOR.crossing(0.95, 0.5, 0.70, 0.55)).isEqualTo(Line.IN);
        assertThat(DOOR.crossing(0.70, 0.55, 0.95, 0.5)).isEqualTo(Line.OUT);
        assertThat(DOOR.crossing(0.70, 0.5, 0.80, 0.5)).as("same side").isEqualTo(Line.NONE);
    }

    @Test
    void swappingThePointsSwapsTheDirection() {
        Line up = new Line("door", new Point(0.85, 1), new Point(0.85, 0));
        assertThat(up.crossing(0.95, 0.5, 0.70, 0.55)).isEqualTo(Line.OUT);
    }

    @Test
    void aMoveBesideTheSegmentIsNoCrossing() {
        Line shortLine = new Line("gate", new Point(0.5, 0.4), new Point(0.5, 0.6));
        assertThat(shortLine.crossing(0.6, 0.5, 0.4, 0.5)).isEqualTo(Line.IN);
        assertThat(shortLine.crossing(0.6, 0.2, 0.4, 0.2))
                .as("above the segment")
                .isEqualTo(Line.NONE);
        assertThat(shortLine.crossing(0.6, 0.6, 0.4, 0.6))
                .as("through the end point")
                .isEqualTo(Line.IN);
        assertThat(shortLine.crossing(0.6, 0.3, 0.4, 0.7))
                .as("diagonal through the middle")
                .isEqualTo(Line.IN);
    }

    @Test
    void stoppingOnTheLineCountsOnceFromTheLastSideOff() {
        // left -> on -> right: crossing(left, on) and crossing(on, right) are NONE;
        // the events code calls crossing(last off-line position, now)
        assertThat(DOOR.crossing(0.95, 0.5, 0.85, 0.5)).isEqualTo(Line.NONE);
        assertThat(DOOR.crossing(0.85, 0.5, 0.70, 0.5)).isEqualTo(Line.NONE);
        assertThat(DOOR.crossing(0.95, 0.5, 0.70, 0.5)).isEqualTo(Line.IN);
    }

    @Test
    void classes() {
        Line people = new Line("door", new Point(0, 0), new Point(1, 1), Set.of("person"));
        assertThat(people.appliesTo("person")).isTrue();
        assertThat(people.appliesTo("car")).isFalse();
        assertThat(DOOR.appliesTo("car")).isTrue();
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> new Line("a", new Point(0.5, 0.5), new Point(0.5, 0.5)))
                .isInstanceOfSatisfying(
                        InvalidSettingsException.class,
                        e -> assertThat(e.reason).isEqualTo(SettingsReason.BAD_LINE));
        assertThatThrownBy(() -> new Line("a/b", new Point(0, 0), new Point(1, 1)))
                .isInstanceOfSatisfying(
                        InvalidSettingsException.class,
                        e -> assertThat(e.reason).isEqualTo(SettingsReason.BAD_NAME));
    }
}
