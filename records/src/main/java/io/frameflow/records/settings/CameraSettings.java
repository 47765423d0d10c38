package io.frameflow.records.settings;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of one camera, or the defaults of every camera (key {@code *}): one document of the
 * settings topic, or the result of {@link SettingsResolver#resolve merging} a camera's document
 * over the defaults. Immutable; {@link CameraSettingsJson} reads and writes the JSON,
 * docs/camera-settings.md documents it.
 *
 * <p>Every accessor gives the value in effect: a field the document did not give has its built-in
 * value (no site, all classes, the job's score threshold, no masks, zones or lines, {@code
 * inferEvery} 1, the job's tracker options). {@link #specified()} says which fields the document
 * gave, which is what {@link #orElse merging} needs: a camera that says {@code "classes": []} (all
 * classes) overrides the defaults' classes, one that says nothing inherits them.
 *
 * @param site group of cameras (a shop, a building), or null
 * @param classes detector labels to detect and track; empty = every label
 * @param minScore score a detection needs, 0..1; null = the job's {@code --min-score}
 * @param inferEvery run the detector on every n-th frame ({@link #infers}), 1..1000
 * @param models the models to run on the camera's frames, by name (a model file's name without
 *     {@code .onnx}, one of the job's {@code --model} and {@code --models}); empty = the job's
 *     {@code --model}
 * @param skipUnchanged skip the detector on a frame whose small grey thumbnail differs from the
 *     last inferred frame's in less than this share of its pixels (0..1; 0 = never skip)
 * @param masks areas to ignore: detections whose anchor ({@link Point#anchorOf}) is inside one are
 *     dropped
 * @param zones named areas, names unique among the zones
 * @param lines named counting lines, names unique among the lines
 * @param tracker tracker parameters; {@link TrackerOverrides#NONE} = the job's
 * @param specified the fields the document gave; fields with a value other than the built-in one
 *     are added, SITE, MIN_SCORE and TRACKER follow their value (a null site is not given)
 */
public record CameraSettings(
        String site,
        Set<String> classes,
        Double minScore,
        int inferEvery,
        List<String> models,
        double skipUnchanged,
        List<Polygon> masks,
        List<Zone> zones,
        List<Line> lines,
        TrackerOverrides tracker,
        Set<CameraSettings.Field> specified)
        implements Serializable {

    /** The fields of a document, in the order {@link CameraSettingsJson#write} writes them. */
    public enum Field {
        SITE("site"),
        CLASSES("classes"),
        MIN_SCORE("minScore"),
        INFER_EVERY("inferEvery"),
        MODELS("models"),
        SKIP_UNCHANGED("skipUnchanged"),
        MASKS("masks"),
        ZONES("zones"),
        LINES("lines"),
        TRACKER("tracker");

        private final String jsonName;

        Field(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The field's name in the JSON document. */
        public String jsonName() {
            return jsonName;
        }
    }

    public static final int MAX_CLASSES = 256;
    public static final int MAX_MASKS = 64;
    public static final int MAX_ZONES = 64;
    public static final int MAX_LINES = 64;
    public static final int DEFAULT_INFER_EVERY = 1;
    public static final int MAX_INFER_EVERY = 1000;
    public static final double DEFAULT_SKIP_UNCHANGED = 0;
    public static final int MAX_MODELS = 8;

    /**
     * A camera that skips unchanged frames still runs the detector at least this often (capture
     * time), so a slow change and the tracker are refreshed.
     */
    public static final long MAX_UNCHANGED_MS = 2_000;

    /** Nothing given: what a camera without any document (and no defaults) runs with. */
    public static final CameraSettings BUILT_IN = builder().build();

    public CameraSettings {
        InvalidSettingsException.require(
                site == null || Names.isName(site),
                SettingsReason.BAD_SITE,
                "site "
                        + Names.quote(site)
                        + " is not a name: 1 to 64 letters, digits, spaces or . _ : @ + -,"
                        + " starting with a letter or digit");
        classes = Names.classes(classes, "the camera");
        minScore = TrackerOverrides.positiveZero(minScore);
        InvalidSettingsException.require(
                minScore == null || (minScore >= 0 && minScore <= 1),
                SettingsReason.BAD_SCORE,
                "minScore " + minScore + " is out of range; give a number from 0 to 1");
        InvalidSettingsException.require(
                inferEvery >= 1 && inferEvery <= MAX_INFER_EVERY,
                SettingsReason.BAD_INFER_EVERY,
                "inferEvery "
                        + inferEvery
                        + " is out of range; give a whole number from 1 (every frame) to "
                        + MAX_INFER_EVERY);
        models = limited(models, MAX_MODELS, "models");
        for (String model : models) {
            InvalidSettingsException.require(
                    Names.isName(model),
                    SettingsReason.BAD_MODEL,
                    "model "
                            + Names.quote(model)
                            + " is not a model's name: give the file name without .onnx, e.g."
                            + " \"yolox_nano\"");
        }
        unique(models, "model");
        InvalidSettingsException.require(
                skipUnchanged >= 0 && skipUnchanged < 1,
                SettingsReason.BAD_SKIP_UNCHANGED,
                "skipUnchanged "
                        + skipUnchanged
                        + " is out of range; give the share of a frame's thumbnail that must"
                        + " change for the detector to run, from 0 (never skip) to below 1,"
                        + " e.g. 0.005");
        masks = limited(masks, MAX_MASKS, "masks");
        zones = limited(zones, MAX_ZONES, "zones");
        lines = limited(lines, MAX_LINES, "lines");
        unique(zones.stream().map(Zone::name).toList(), "zone");
        unique(lines.stream().map(Line::name).toList(), "line");
        tracker = tracker == null ? TrackerOverrides.NONE : tracker;

        EnumSet<Field> given = EnumSet.noneOf(Field.class);
        if (specified != null) {
            given.addAll(specified);
        }
        mark(given, Field.SITE, site != null, site == null);
        mark(given, Field.CLASSES, !classes.isEmpty(), false);
        mark(given, Field.MIN_SCORE, minScore != null, minScore == null);
        mark(given, Field.INFER_EVERY, inferEvery != DEFAULT_INFER_EVERY, false);
        mark(given, Field.MODELS, !models.isEmpty(), false);
        mark(given, Field.SKIP_UNCHANGED, skipUnchanged != DEFAULT_SKIP_UNCHANGED, false);
        mark(given, Field.MASKS, !masks.isEmpty(), false);
        mark(given, Field.ZONES, !zones.isEmpty(), false);
        mark(given, Field.LINES, !lines.isEmpty(), false);
        mark(given, Field.TRACKER, !tracker.isEmpty(), tracker.isEmpty());
        specified = Collections.unmodifiableSet(given);
    }

    private static void mark(EnumSet<Field> given, Field f, boolean add, boolean remove) {
        if (add) {
            given.add(f);
        } else if (remove) {
            given.remove(f);
        }
    }

    private static <T> List<T> limited(List<T> items, int max, String what) {
        if (items == null) {
            return List.of();
        }
        InvalidSettingsException.require(
                items.size() <= max,
                SettingsReason.TOO_LARGE,
                what + ": " + items.size() + " given; at most " + max + " are allowed");
        return List.copyOf(items);
    }

    private static void unique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            InvalidSettingsException.require(
                    seen.add(name),
                    SettingsReason.DUPLICATE_NAME,
                    "two "
                            + what
                            + "s are named "
                            + Names.quote(name)
                            + "; each "
                            + what
                            + " of a camera needs its own name");
        }
    }

    /** Whether the document gave {@code field} (see {@link #specified()}). */
    public boolean isSpecified(Field field) {
        return specified.contains(field);
    }

    /** Whether detections of class {@code label} are kept ({@code classes} empty or has it). */
    public boolean detects(String label) {
        return classes.isEmpty() || classes.contains(label);
    }

    /** {@code minScore}, or the job's threshold when the settings do not set one. */
    public double minScoreOr(double jobDefault) {
        return minScore != null ? minScore : jobDefault;
    }

    /** Whether ({@code x}, {@code y}) (normalised) lies in a mask (boundary included). */
    public boolean isMasked(double x, double y) {
        for (Polygon mask : masks) {
            if (mask.contains(x, y)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the detector runs on {@code camera}'s frame {@code seq}: one frame in every {@code
     * inferEvery}, those whose {@code seq + }{@link #inferPhase} is a multiple of it. The choice
     * depends only on the camera and the seq, so it does not depend on where a restart resumed.
     */
    public boolean infers(String camera, long seq) {
        return Math.floorMod(seq + inferPhase(camera), (long) inferEvery) == 0;
    }

    /**
     * Where in its cycle of {@code inferEvery} frames a camera infers: its id's {@link
     * String#hashCode} modulo {@code inferEvery} (0 when it is 1). Cameras started together send
     * frames with the same seqs at the same time; with one phase for all, every camera's inferred
     * frame would arrive in the same frame slot and the skipped frames of the next slots would wait
     * behind that burst in capture order (docs/benchmarks.md, "Without annotated frames"). Spread
     * over the n phases, each slot carries about 1/n of the inferences. {@code String.hashCode} is
     * fixed by the Java specification, so the phase is the same on every JVM and after any restart
     * or rescale.
     */
    public int inferPhase(String camera) {
        return Math.floorMod(camera.hashCode(), inferEvery);
    }

    /** Whether frames that did not change are kept from the detector ({@code skipUnchanged}). */
    public boolean skipsUnchanged() {
        return skipUnchanged > 0;
    }

    /** The zone called {@code name}, or null. */
    public Zone zone(String name) {
        return zones.stream().filter(z -> z.name().equals(name)).findFirst().orElse(null);
    }

    /** The line called {@code name}, or null. */
    public Line line(String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * These settings over {@code fallback}: each field this document {@link #specified() gave} wins
     * whole (a list is replaced, not appended to), the others come from {@code fallback}; {@code
     * tracker} is merged parameter by parameter. {@link SettingsResolver#resolve} uses it for
     * camera over defaults.
     */
    public CameraSettings orElse(CameraSettings fallback) {
        if (fallback == null || fallback.specified.isEmpty()) {
            return this;
        }
        Builder b = builder();
        CameraSettings s;
        for (Field f : Field.values()) {
            if (f == Field.TRACKER) {
                continue;
            }
            s = isSpecified(f) ? this : fallback;
            if (!s.isSpecified(f)) {
                continue;
            }
            switch (f) {
                case SITE -> b.site(s.site);
                case CLASSES -> b.classes(s.classes);
                case MIN_SCORE -> b.minScore(s.minScore);
                case INFER_EVERY -> b.inferEvery(s.inferEvery);
                case MODELS -> b.models(s.models);
                case SKIP_UNCHANGED -> b.skipUnchanged(s.skipUnchanged);
                case MASKS -> b.masks(s.masks);
                case ZONES -> b.zones(s.zones);
                case LINES -> b.lines(s.lines);
                default -> throw new AssertionError(f);
            }
        }
        return b.tracker(tracker.orElse(fallback.tracker)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a document; each setter marks its field as given. */
    public static final class Builder {
        private String site;
        private Set<String> classes = Set.of();
        private Double minScore;
        private int inferEvery = DEFAULT_INFER_EVERY;
        private List<String> models = List.of();
        private double skipUnchanged = DEFAULT_SKIP_UNCHANGED;
        private List<Polygon> masks = List.of();
        private List<Zone> zones = List.of();
        private List<Line> lines = List.of();
        private TrackerOverrides tracker = TrackerOverrides.NONE;
        private final EnumSet<Field> specified = EnumSet.noneOf(Field.class);

        private Builder() {}

        public Builder site(String site) {
            this.site = site;
            specified.add(Field.SITE);
            return this;
        }

        public Builder classes(Collection<String> classes) {
            this.classes = classes == null ? Set.of() : new HashSet<>(classes);
            specified.add(Field.CLASSES);
            return this;
        }

        public Builder classes(String... classes) {
            return classes(List.of(classes));
        }

        public Builder minScore(Double minScore) {
            this.minScore = minScore;
            specified.add(Field.MIN_SCORE);
            return this;
        }

        public Builder inferEvery(int inferEvery) {
            this.inferEvery = inferEvery;
            specified.add(Field.INFER_EVERY);
            return this;
        }

        public Builder models(List<String> models) {
            this.models = models == null ? List.of() : new ArrayList<>(models);
            specified.add(Field.MODELS);
            return this;
        }

        public Builder skipUnchanged(double share) {
            this.skipUnchanged = share;
            specified.add(Field.SKIP_UNCHANGED);
            return this;
        }

        public Builder masks(List<Polygon> masks) {
            this.masks = masks == null ? List.of() : new ArrayList<>(masks);
            specified.add(Field.MASKS);
            return this;
        }

        public Builder zones(List<Zone> zones) {
            this.zones = zones == null ? List.of() : new ArrayList<>(zones);
            specified.add(Field.ZONES);
            return this;
        }

        public Builder lines(List<Line> lines) {
            this.lines = lines == null ? List.of() : new ArrayList<>(lines);
            specified.add(Field.LINES);
            return this;
        }

        public Builder tracker(TrackerOverrides tracker) {
            this.tracker = tracker == null ? TrackerOverrides.NONE : tracker;
            specified.add(Field.TRACKER);
            return this;
        }

        /**
         * @throws IllegalArgumentException for a value out of range (see {@link SettingsReason})
         */
        public CameraSettings build() {
            return new CameraSettings(
                    site,
                    classes,
                    minScore,
                    inferEvery,
                    models,
                    skipUnchanged,
                    masks,
                    zones,
                    lines,
                    tracker,
                    specified);
        }
    }
}
