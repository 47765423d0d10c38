package io.frameflow.records.settings;

import java.io.Serializable;
import java.util.Set;

/**
 * A named area of the frame: {@code polygon} (normalised), optionally only for some classes (empty
 * = every class the camera detects) and with {@code loiterSeconds}, how long an object may stay
 * inside before it counts as loitering (null = no loitering events). JSON: {@code
 * {"name":"counter","polygon":[[x,y],...],"classes":["person"],"loiterSeconds":30}}.
 */
public record Zone(String name, Polygon polygon, Set<String> classes, Double loiterSeconds)
        implements Serializable {

    /** The longest {@code loiterSeconds}: one day. */
    public static final double MAX_LOITER_SECONDS = 86_400;

    public Zone {
        InvalidSettingsException.require(
                Names.isName(name),
                SettingsReason.BAD_NAME,
                "name "
                        + Names.quote(name)
                        + " is not a name: 1 to 64 letters, digits, spaces or . _ : @ + -,"
                        + " starting with a letter or digit");
        InvalidSettingsException.require(
                polygon != null, SettingsReason.BAD_POLYGON, "needs a polygon");
        InvalidSettingsException.require(
                loiterSeconds == null || (loiterSeconds > 0 && loiterSeconds <= MAX_LOITER_SECONDS),
                SettingsReason.BAD_ZONE,
                "loiterSeconds "
                        + loiterSeconds
                        + " is out of range; give seconds above 0 and at most 86400 (one day),"
                        + " or leave it out for no loitering events");
        classes = Names.classes(classes, "zone " + Names.quote(name));
    }

    public Zone(String name, Polygon polygon) {
        this(name, polygon, Set.of(), null);
    }

    /** Whether ({@code x}, {@code y}) (normalised) is in the zone; see {@link Polygon#contains}. */
    public boolean contains(double x, double y) {
        return polygon.contains(x, y);
    }

    /** Whether the zone counts objects of class {@code label}. */
    public boolean appliesTo(String label) {
        return classes.isEmpty() || classes.contains(label);
    }
}
