package io.frameflow.operators.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Class names by class id: from a labels file, the model's metadata, or COCO-80. */
public final class Labels {

    /** The 80 COCO detection classes in the order COCO-trained detectors use. */
    public static final List<String> COCO80 =
            List.of(
                    "person",
                    "bicycle",
                    "car",
                    "motorcycle",
                    "airplane",
                    "bus",
                    "train",
                    "truck",
                    "boat",
                    "traffic light",
                    "fire hydrant",
                    "stop sign",
                    "parking meter",
                    "bench",
                    "bird",
                    "cat",
                    "dog",
                    "horse",
                    "sheep",
                    "cow",
                    "elephant",
                    "bear",
                    "zebra",
                    "giraffe",
                    "backpack",
                    "umbrella",
                    "handbag",
                    "tie",
                    "suitcase",
                    "frisbee",
                    "skis",
                    "snowboard",
                    "sports ball",
                    "kite",
                    "baseball bat",
                    "baseball glove",
                    "skateboard",
                    "surfboard",
                    "tennis racket",
                    "bottle",
                    "wine glass",
                    "cup",
                    "fork",
                    "knife",
                    "spoon",
                    "bowl",
                    "banana",
                    "apple",
                    "sandwich",
                    "orange",
                    "broccoli",
                    "carrot",
                    "hot dog",
                    "pizza",
                    "donut",
                    "cake",
                    "chair",
                    "couch",
                    "potted plant",
                    "bed",
                    "dining table",
                    "toilet",
                    "tv",
                    "laptop",
                    "mouse",
                    "remote",
                    "keyboard",
                    "cell phone",
                    "microwave",
                    "oven",
                    "toaster",
                    "sink",
                    "refrigerator",
                    "book",
                    "clock",
                    "vase",
                    "scissors",
                    "teddy bear",
                    "hair drier",
                    "toothbrush");

    private static final Pattern NAME_ENTRY =
            Pattern.compile(
                    "(\\d+)\\s*:\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\")");

    private Labels() {}

    /** One label per line; line index = class id. Trailing blank lines are ignored. */
    public static List<String> fromFile(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("--labels file " + file + " is empty");
            }
            return lines.stream().map(String::trim).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read --labels file " + file, e);
        }
    }

    /**
     * Parses Ultralytics' {@code names} metadata, a Python dict literal such as {@code {0:
     * 'person', 1: 'bicycle'}}. Returns an empty list when nothing parses.
     */
    public static List<String> fromUltralyticsNames(String names) {
        if (names == null) {
            return List.of();
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        Matcher m = NAME_ENTRY.matcher(names);
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2) : m.group(3);
            byId.put(Integer.parseInt(m.group(1)), v.replace("\\'", "'").replace("\\\"", "\""));
        }
        if (byId.isEmpty() || byId.lastKey() != byId.size() - 1) {
            return List.of();
        }
        return List.copyOf(byId.values());
    }

    /** Labels for {@code classes} outputs when neither file nor metadata names them. */
    public static List<String> fallback(int classes) {
        if (classes == 80) {
            return COCO80;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            out.add("class" + i);
        }
        return out;
    }
}
