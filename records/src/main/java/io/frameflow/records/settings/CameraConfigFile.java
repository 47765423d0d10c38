package io.frameflow.records.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings files: a camera config file ({@code --camera-config FILE} of the job, {@code settings
 * --file} of the producer) is one JSON object from key ({@code *} for the defaults, or a camera id)
 * to settings document:
 *
 * <pre>{@code
 * {"*":     {"site":"shop-1","classes":["person"]},
 *  "cam-1": {"lines":[{"name":"door","points":[[0.85,0],[0.85,1]]}]}}
 * }</pre>
 *
 * Each document is validated as on the settings topic ({@link CameraSettingsJson}), and its
 * canonical form (what would be published) must fit {@link CameraSettingsJson#MAX_DOCUMENT_BYTES};
 * an error names the key ({@link SettingsException#key()}). Files may be pretty-printed.
 */
public final class CameraConfigFile {

    /** The largest file, in bytes. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private CameraConfigFile() {}

    /**
     * Reads a camera config file: key to document, in file order.
     *
     * @throws IOException when the file cannot be read
     * @throws SettingsException when it is no valid camera config file
     */
    public static Map<String, CameraSettings> load(Path file)
            throws IOException, SettingsException {
        return parse(read(file));
    }

    /** {@link #load} of bytes. */
    public static Map<String, CameraSettings> parse(byte[] json) throws SettingsException {
        CameraSettingsJson serde = new CameraSettingsJson();
        JsonNode root = serde.readTree(checkSize(json));
        if (!root.isObject()) {
            throw new SettingsException(
                    SettingsReason.BAD_JSON,
                    "the file is "
                            + JsonChecks.describe(root)
                            + ", not a JSON object; a camera config file maps keys to documents,"
                            + " {\"*\": {...defaults...}, \"cam-1\": {...}}");
        }
        Map<String, CameraSettings> documents = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            try {
                SettingsResolver.checkKey(key);
                documents.put(key, document(serde, e.getValue()));
            } catch (SettingsException ex) {
                throw withHint(ex, key).forKey(key);
            }
        }
        return Collections.unmodifiableMap(documents);
    }

    /**
     * Reads a file that holds one settings document (the producer's {@code settings --camera ID
     * --file FILE}).
     */
    public static CameraSettings loadDocument(Path file) throws IOException, SettingsException {
        return parseDocument(read(file));
    }

    /** {@link #loadDocument} of bytes. */
    public static CameraSettings parseDocument(byte[] json) throws SettingsException {
        CameraSettingsJson serde = new CameraSettingsJson();
        return document(serde, serde.readTree(checkSize(json)));
    }

    private static CameraSettings document(CameraSettingsJson serde, JsonNode node)
            throws SettingsException {
        CameraSettings doc = serde.parse(node);
        int size = serde.write(doc).length;
        if (size > CameraSettingsJson.MAX_DOCUMENT_BYTES) {
            throw new SettingsException(
                    SettingsReason.TOO_LARGE,
                    "the document has "
                            + size
                            + " bytes when written compactly; at most "
                            + CameraSettingsJson.MAX_DOCUMENT_BYTES
                            + " are allowed (use fewer points or fewer decimals)");
        }
        return doc;
    }

    /** A key that is a field name most likely means a single document was given as a file. */
    private static SettingsException withHint(SettingsException e, String key) {
        if (!CameraSettingsJson.FIELDS.contains(key)) {
            return e;
        }
        return new SettingsException(
                e.reason(),
                e.getMessage()
                        + " (the file looks like one camera's document; a camera config file maps"
                        + " camera ids to documents, {\"cam-1\": {\""
                        + key
                        + "\": ...}})",
                e);
    }

    private static byte[] read(Path file) throws IOException, SettingsException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw tooLarge(size);
        }
        return Files.readAllBytes(file);
    }

    private static byte[] checkSize(byte[] json) throws SettingsException {
        if (json != null && json.length > MAX_FILE_BYTES) {
            throw tooLarge(json.length);
        }
        if (json == null || json.length == 0) {
            throw new SettingsException(SettingsReason.BAD_JSON, "the file is empty");
        }
        return json;
    }

    private static SettingsException tooLarge(long size) {
        return new SettingsException(
                SettingsReason.TOO_LARGE,
                "the file has " + size + " bytes; at most " + MAX_FILE_BYTES + " are allowed");
    }
}
