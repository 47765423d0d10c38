package io.frameflow.records;

/**
 * What a secondary model (a classifier run on a detection's crop) says of that detection, e.g.
 * {@code vest / 0.93} on a person.
 *
 * @param model the classifier that said it, {@code name@version} (file name without {@code .onnx},
 *     first 8 hex digits of the file's SHA-256), so a rollout is visible in the outputs
 * @param label the classifier's class with the highest probability, averaged over the crops of the
 *     detection's track
 * @param score that average probability, in [0, 1]
 */
public record Attribute(String model, String label, float score) {}
