package io.frameflow.operators.face;

import ai.onnxruntime.OrtException;
import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.inference.Detector;
import io.frameflow.records.Detection;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns a gallery photo into a person's embedding: the photo must decode and show exactly one face
 * at least {@code minSize} pixels wide (with landmarks); anything else is refused with a reason,
 * never enrolled silently. Used by the job for topic photos and on the client for {@code --faces}.
 */
public final class FaceEnrolment {

    /** Why a photo was refused: a dead-letter reason code and a sentence. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** {@code code: message}, as a dead letter's reason. */
        public String reason() {
            return code + ": " + getMessage();
        }
    }

    private final Detector detector;
    private final FaceEmbedder embedder;
    private final ImageDecoder decoder;
    private final int minSize;

    /** Borrows the three (it does not close them). */
    public FaceEnrolment(
            Detector detector, FaceEmbedder embedder, ImageDecoder decoder, int minSize) {
        this.detector = detector;
        this.embedder = embedder;
        this.decoder = decoder;
        this.minSize = minSize;
    }

    /**
     * @return the photo's one face's embedding
     * @throws Refused for a photo that does not decode, or has no face or several
     */
    public float[] embed(byte[] photo) throws Refused, OrtException {
        if (photo == null || photo.length == 0) {
            throw new Refused("face-photo-empty", "the photo is empty");
        }
        List<Detection> found;
        try {
            found = detector.detect(photo).detections();
        } catch (UndecodableImageException | RuntimeException e) {
            throw new Refused(
                    "face-photo-undecodable",
                    "not a JPEG or PNG the detector can read (" + photo.length + " bytes)");
        }
        List<Detection> faces =
                found.stream()
                        .filter(d -> d.landmarks() != null && d.x2() - d.x1() >= minSize)
                        .toList();
        if (faces.isEmpty()) {
            throw new Refused(
                    "face-photo-no-face",
                    "no face at least "
                            + minSize
                            + " pixels wide"
                            + (found.isEmpty() ? "" : " (" + found.size() + " smaller)")
                            + ": use a photo where the face is clearly visible");
        }
        if (faces.size() > 1) {
            throw new Refused(
                    "face-photo-several-faces",
                    faces.size() + " faces: the photo must show only the person to enrol");
        }
        try {
            var image = decoder.decode(photo, Integer.MAX_VALUE, Integer.MAX_VALUE).image();
            return embedder.embed(image, faces.get(0).landmarks());
        } catch (UndecodableImageException e) {
            throw new Refused("face-photo-undecodable", e.getMessage());
        }
    }

    /** An embedding as bytes (big-endian floats), for broadcast state. */
    static byte[] toBytes(float[] embedding) {
        ByteBuffer b = ByteBuffer.allocate(embedding.length * Float.BYTES);
        for (float v : embedding) {
            b.putFloat(v);
        }
        return b.array();
    }

    static float[] fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        float[] out = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}
