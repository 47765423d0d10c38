package io.frameflow.records.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.records.text.EditDistance;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The checks every part of a settings document goes through ({@link CameraSettingsJson}): known
 * fields only (with a "did you mean"), a reason code and a sentence that says where and what to
 * fix, and a short description of a wrong value.
 */
final class JsonChecks {

    private JsonChecks() {}

    /** Refuses fields not in {@code known}, suggesting the nearest known one. */
    static void checkFields(JsonNode object, String path, List<String> known)
            throws SettingsException {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String near = nearest(name, known);
                throw new SettingsException(
                        SettingsReason.UNKNOWN_FIELD,
                        (path.isEmpty() ? "" : path + ": ")
                                + "unknown field "
                                + Names.quote(name)
                                + (near == null ? "." : "; did you mean '" + near + "'?")
                                + " The fields "
                                + (path.isEmpty() ? "of a document" : "here")
                                + " are "
                                + String.join(", ", known));
            }
        }
    }

    static String nearest(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance; long names (never a field's) are not compared. */
    static int distance(String a, String b) {
        return a.length() > 64 || b.length() > 64 ? Integer.MAX_VALUE : EditDistance.between(a, b);
    }

    static void require(boolean ok, SettingsReason reason, String path, String problem)
            throws SettingsException {
        if (!ok) {
            throw new SettingsException(reason, at(path, problem));
        }
    }

    static <T> T build(String path, Supplier<T> constructor) throws SettingsException {
        try {
            return constructor.get();
        } catch (InvalidSettingsException e) {
            throw new SettingsException(e.reason, at(path, e.getMessage()));
        }
    }

    static String at(String path, String problem) {
        return path.isEmpty() ? problem : path + ": " + problem;
    }

    /** A short description of a JSON value for messages: its type, and the value if short. */
    static String describe(JsonNode n) {
        String type =
                switch (n.getNodeType()) {
                    case ARRAY -> "a list of " + n.size();
                    case OBJECT -> "an object";
                    case STRING -> "a string";
                    case NUMBER -> "the number";
                    case BOOLEAN -> "the boolean";
                    case NULL -> "null";
                    default -> "a " + n.getNodeType().toString().toLowerCase(Locale.ROOT);
                };
        if (n.isNull() || n.isContainerNode()) {
            String text = n.toString();
            return text.length() <= 40 ? type + " " + text : type;
        }
        String text = n.toString();
        return type + " " + (text.length() <= 40 ? text : text.substring(0, 40) + "...");
    }
}
