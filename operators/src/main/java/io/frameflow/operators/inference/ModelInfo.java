package io.frameflow.operators.inference;

/**
 * What a slot loaded, for the start-up log line and the model_info metric.
 *
 * @param name model file name without extension
 * @param file the model path
 * @param format resolved output layout
 * @param device {@code cpu} or {@code cuda:N}
 * @param provider ORT execution provider
 * @param inputShape e.g. {@code [1, 3, 416, 416]} ({@code -1} batch when dynamic)
 * @param loadMs session creation time
 * @param maxBatch frames per ORT call this model accepts with this config
 * @param fallbackWarning set when {@code --device auto} fell back to CPU
 * @param version the first 8 hex digits of the file's SHA-256: which file of that name ran, so a
 *     rollout shows in the outputs and the metrics
 */
public record ModelInfo(
        String name,
        String file,
        ModelFormat format,
        String device,
        String provider,
        String inputShape,
        long loadMs,
        int maxBatch,
        String fallbackWarning,
        String version) {

    /** A model file's version: the first 8 hex digits of its SHA-256. */
    public static String versionOf(java.nio.file.Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 8);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unknown"; // the session loaded it; a hash is for information only
        }
    }
}
