package io.frameflow.producer.produce;

import io.frameflow.records.wire.FrameWire;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code --source} argument: {@code CAMERA=LOCATION} or a bare {@code LOCATION}, whose camera
 * id is then taken from the file, folder, device or stream name.
 *
 * @param cameraId camera id (the Kafka record key)
 * @param location file path, folder path, device path or URL as given
 * @param kind how to open it
 */
public record SourceSpec(String cameraId, String location, SourceKind kind) {

    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._:@-]+");
    private static final Set<String> STREAM_SCHEMES =
            Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt", "rtp");

    public SourceSpec {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("empty camera id for source " + location);
        }
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("empty location for camera " + cameraId);
        }
        if (!FrameWire.CAMERA_ID.matcher(cameraId).matches()) {
            // the job dead-letters every frame of such a camera (bad-camera-id): say so here
            throw new IllegalArgumentException(
                    "camera id '"
                            + cameraId
                            + "' is not one FrameFlow accepts: up to "
                            + FrameWire.MAX_CAMERA_ID_LENGTH
                            + " letters, digits, space and . _ - : @ +, starting with a letter or"
                            + " digit");
        }
    }

    /** Parses {@code cam-1=rtsp://...}, {@code clip.mp4}, {@code /dev/video0}, {@code frames/}. */
    public static SourceSpec parse(String arg) {
        String text = arg.trim();
        String cameraId = null;
        String location = text;
        int eq = text.indexOf('=');
        if (eq > 0
                && CAMERA_ID.matcher(text.substring(0, eq)).matches()
                && !text.substring(0, eq).contains("://")) {
            String head = text.substring(0, eq);
            // "rtsp://host/x?a=b" has no valid id before '=' (it holds '/'), so it stays bare
            cameraId = head;
            location = text.substring(eq + 1).trim();
        }
        SourceKind kind = kindOf(location);
        if (cameraId == null) {
            cameraId = defaultCameraId(location, kind);
        }
        return new SourceSpec(cameraId, location, kind);
    }

    static SourceKind kindOf(String location) {
        String scheme = scheme(location);
        if (scheme != null && STREAM_SCHEMES.contains(scheme)) {
            return SourceKind.STREAM;
        }
        if ("v4l2".equals(scheme) || location.startsWith("/dev/video")) {
            return SourceKind.V4L2;
        }
        if (Files.isDirectory(Path.of(location))) {
            return SourceKind.IMAGE_FOLDER;
        }
        return SourceKind.FILE;
    }

    /** The device or file path FFmpeg should open ({@code v4l2:/dev/video0} → /dev/video0). */
    public String openTarget() {
        if (kind == SourceKind.V4L2 && location.startsWith("v4l2:")) {
            return location.substring("v4l2:".length());
        }
        return location;
    }

    private static String scheme(String location) {
        int colon = location.indexOf(':');
        if (colon <= 1) { // "C:" style or none
            return null;
        }
        String s = location.substring(0, colon).toLowerCase(Locale.ROOT);
        return s.matches("[a-z][a-z0-9+.-]*") ? s : null;
    }

    static String defaultCameraId(String location, SourceKind kind) {
        String name;
        if (kind == SourceKind.STREAM) {
            URI uri;
            try {
                uri = URI.create(location);
            } catch (IllegalArgumentException e) {
                return sanitize(location);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String last = lastSegment(path);
            String host = uri.getHost() == null ? "stream" : uri.getHost();
            name = last.isEmpty() ? host : last;
        } else {
            String path = kind == SourceKind.V4L2 ? location.replaceFirst("^v4l2:", "") : location;
            name = lastSegment(path);
            if (kind == SourceKind.FILE) {
                int dot = name.lastIndexOf('.');
                if (dot > 0) {
                    name = name.substring(0, dot);
                }
            }
        }
        return sanitize(name.isEmpty() ? "camera" : name);
    }

    private static String lastSegment(String path) {
        String p = path;
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash >= 0 ? p.substring(slash + 1) : p;
    }

    /** A camera id the job accepts, from a file or stream name. */
    private static String sanitize(String s) {
        String id = s.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        id =
                id.length() > FrameWire.MAX_CAMERA_ID_LENGTH
                        ? id.substring(0, FrameWire.MAX_CAMERA_ID_LENGTH)
                        : id;
        return id.isEmpty() ? "camera" : id;
    }
}
