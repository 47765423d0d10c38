package io.frameflow.records.settings;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The rule for site, zone, line and class names, and the class-set helpers. */
final class Names {

    private Names() {}

    /** The longest name, in characters. */
    static final int MAX_LENGTH = 64;

    /**
     * A name: 1 to 64 characters, letters and digits of any script, space and {@code . _ : @ + -};
     * it starts with a letter or digit and does not end with a space. The schema's {@code
     * $defs/name} pattern is the same expression.
     */
    static final Pattern NAME =
            Pattern.compile(
                    "[\\p{L}\\p{N}](?:[\\p{L}\\p{N} ._:@+-]{0,"
                            + (MAX_LENGTH - 2)
                            + "}[\\p{L}\\p{N}._:@+-])?");

    static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + shown + "'";
    }

    /** An unmodifiable sorted copy of class labels; each must be a name. */
    static Set<String> classes(Collection<String> labels, String owner) {
        if (labels == null || labels.isEmpty()) {
            return Set.of();
        }
        InvalidSettingsException.require(
                labels.size() <= CameraSettings.MAX_CLASSES,
                SettingsReason.TOO_LARGE,
                "classes of "
                        + owner
                        + ": "
                        + labels.size()
                        + " given; at most "
                        + CameraSettings.MAX_CLASSES
                        + " are allowed");
        TreeSet<String> sorted = new TreeSet<>();
        for (String label : labels) {
            InvalidSettingsException.require(
                    isName(label),
                    SettingsReason.BAD_CLASS,
                    owner
                            + " has the class "
                            + quote(label)
                            + "; a class is a detector label such as 'person': 1 to 64 letters,"
                            + " digits, spaces or . _ : @ + -");
            sorted.add(label);
        }
        return Collections.unmodifiableSet(sorted);
    }
}
