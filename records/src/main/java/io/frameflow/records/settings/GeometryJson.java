package io.frameflow.records.settings;

import static io.frameflow.records.settings.JsonChecks.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The geometry of a settings document: masks, zones and lines, their polygons and points. */
final class GeometryJson {

    static final List<String> ZONE_FIELDS = List.of("name", "polygon", "classes", "loiterSeconds");
    static final List<String> LINE_FIELDS = List.of("name", "points", "classes");

    private GeometryJson() {}

    static List<Polygon> masks(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_POLYGON,
                "masks",
                "is " + describe(v) + "; give a list of polygons, [[[x,y],[x,y],[x,y]], ...]");
        require(
                v.size() <= CameraSettings.MAX_MASKS,
                SettingsReason.TOO_LARGE,
                "masks",
                v.size() + " given; at most " + CameraSettings.MAX_MASKS + " are allowed");
        List<Polygon> masks = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            masks.add(polygon(v.get(i), "masks[" + i + "]"));
        }
        return masks;
    }

    static List<Zone> zones(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_ZONE,
                "zones",
                "is "
                        + describe(v)
                        + "; give a list of zones, [{\"name\":\"counter\",\"polygon\":[...]}, ...]");
        require(
                v.size() <= CameraSettings.MAX_ZONES,
                SettingsReason.TOO_LARGE,
                "zones",
                v.size() + " given; at most " + CameraSettings.MAX_ZONES + " are allowed");
        List<Zone> zones = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            zones.add(zone(v.get(i), "zones[" + i + "]"));
        }
        return zones;
    }

    static Zone zone(JsonNode z, String path) throws SettingsException {
        require(
                z.isObject(),
                SettingsReason.BAD_ZONE,
                path,
                "is "
                        + describe(z)
                        + "; a zone is an object, {\"name\":\"counter\",\"polygon\":[[x,y],...]}");
        checkFields(z, path, ZONE_FIELDS);
        String name = name(z, path);
        String at = path + " " + Names.quote(name);
        JsonNode polygonNode = z.get("polygon");
        require(
                polygonNode != null,
                SettingsReason.BAD_POLYGON,
                at,
                "has no polygon; give \"polygon\":[[x,y],[x,y],[x,y],...]");
        Polygon polygon = polygon(polygonNode, at + ".polygon");
        List<String> classes = optionalClasses(z, at);
        Double loiter = null;
        JsonNode l = z.get("loiterSeconds");
        if (l != null) {
            require(
                    l.isNumber(),
                    SettingsReason.BAD_ZONE,
                    at + ".loiterSeconds",
                    "is "
                            + describe(l)
                            + "; give seconds above 0 and at most 86400, or leave it out for no"
                            + " loitering events");
            loiter = l.doubleValue();
        }
        Double loiterSeconds = loiter;
        return build(at, () -> new Zone(name, polygon, Set.copyOf(classes), loiterSeconds));
    }

    static List<Line> lines(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_LINE,
                "lines",
                "is "
                        + describe(v)
                        + "; give a list of lines, [{\"name\":\"door\",\"points\":[[x,y],[x,y]]},"
                        + " ...]");
        require(
                v.size() <= CameraSettings.MAX_LINES,
                SettingsReason.TOO_LARGE,
                "lines",
                v.size() + " given; at most " + CameraSettings.MAX_LINES + " are allowed");
        List<Line> lines = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            lines.add(line(v.get(i), "lines[" + i + "]"));
        }
        return lines;
    }

    static Line line(JsonNode l, String path) throws SettingsException {
        require(
                l.isObject(),
                SettingsReason.BAD_LINE,
                path,
                "is "
                        + describe(l)
                        + "; a line is an object, {\"name\":\"door\",\"points\":[[x,y],[x,y]]}");
        checkFields(l, path, LINE_FIELDS);
        String name = name(l, path);
        String at = path + " " + Names.quote(name);
        JsonNode points = l.get("points");
        require(
                points != null,
                SettingsReason.BAD_LINE,
                at,
                "has no points; give \"points\":[[x,y],[x,y]], from and to");
        require(
                points.isArray() && points.size() == 2,
                SettingsReason.BAD_LINE,
                at + ".points",
                (points.isArray() ? "has " + points.size() + " points" : "is " + describe(points))
                        + "; a line has exactly two, [[x,y],[x,y]], from and to");
        Point a = point(points.get(0), at + ".points[0]");
        Point b = point(points.get(1), at + ".points[1]");
        List<String> classes = optionalClasses(l, at);
        return build(at, () -> new Line(name, a, b, Set.copyOf(classes)));
    }

    static String name(JsonNode o, String path) throws SettingsException {
        JsonNode n = o.get("name");
        require(
                n != null,
                SettingsReason.BAD_NAME,
                path,
                "has no name; give \"name\":\"...\" (unique among the camera's "
                        + (path.startsWith("zones") ? "zones" : "lines")
                        + ")");
        require(
                n.isTextual() && Names.isName(n.textValue()),
                SettingsReason.BAD_NAME,
                path + ".name",
                (n.isTextual() ? Names.quote(n.textValue()) : describe(n))
                        + " is not a name: 1 to 64 letters, digits, spaces or . _ : @ + -,"
                        + " starting with a letter or digit");
        return n.textValue();
    }

    static List<String> optionalClasses(JsonNode o, String at) throws SettingsException {
        JsonNode c = o.get("classes");
        return c == null ? List.of() : CameraSettingsJson.classes(c, at + ".classes");
    }

    static Polygon polygon(JsonNode v, String path) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_POLYGON,
                path,
                "is " + describe(v) + "; a polygon is a list of points, [[x,y],[x,y],[x,y],...]");
        require(
                v.isEmpty() || !v.get(0).isNumber(),
                SettingsReason.BAD_POLYGON,
                path,
                "is "
                        + describe(v)
                        + ", a point, not a polygon; a polygon is a list of points,"
                        + " [[x,y],[x,y],[x,y],...] (masks: a list of polygons, [[[x,y],...]])");
        require(
                v.size() <= Polygon.MAX_POINTS,
                SettingsReason.TOO_LARGE,
                path,
                "has " + v.size() + " points; at most " + Polygon.MAX_POINTS + " are allowed");
        List<Point> points = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            points.add(point(v.get(i), path + "[" + i + "]"));
        }
        return build(path, () -> new Polygon(points));
    }

    static Point point(JsonNode v, String path) throws SettingsException {
        require(
                v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber(),
                SettingsReason.BAD_COORDINATE,
                path,
                "is "
                        + describe(v)
                        + "; a point is [x, y], two numbers from 0 to 1 (fractions of the width"
                        + " and height, x right, y down)");
        double x = v.get(0).doubleValue();
        double y = v.get(1).doubleValue();
        return build(path, () -> new Point(x, y));
    }
}
