package io.frameflow.operators.inference;

import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.Nms;
import io.frameflow.operators.preprocess.BoxMapper;
import io.frameflow.records.Detection;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One frame's raw outputs to {@link Detection}s in original-image pixels: the layout's decoder with
 * the score threshold, NMS, the class filter (after NMS, so class-agnostic NMS behaves as in the
 * reference decoders), labels, and the mapping back through resize and padding. Stateless.
 */
final class DetectionMapper {

    private final ModelProfile profile;
    private final float scoreThreshold;
    private final float iouThreshold;
    private final boolean classAwareNms;
    private final boolean[] keepClass;

    DetectionMapper(ModelProfile profile, DetectorSettings settings) {
        this.profile = profile;
        var layout = profile.format().layout();
        this.scoreThreshold = settings.scoreThreshold().orElse(layout.defaultScore());
        this.iouThreshold = layout.defaultIou();
        this.classAwareNms = layout.classAwareNms();
        this.keepClass = classFilter(settings, profile.labels());
    }

    float scoreThreshold() {
        return scoreThreshold;
    }

    float iouThreshold() {
        return iouThreshold;
    }

    List<Detection> detections(FloatBuffer[] outputs, int item, BoxMapper mapper) {
        List<Candidate> candidates = new ArrayList<>();
        profile.decoder().decode(outputs, item, scoreThreshold, candidates);
        List<Candidate> kept = Nms.suppress(candidates, iouThreshold, classAwareNms);
        List<Detection> out = new ArrayList<>(kept.size());
        List<String> labels = profile.labels();
        for (Candidate c : kept) {
            if (keepClass != null && (c.classId() >= keepClass.length || !keepClass[c.classId()])) {
                continue;
            }
            float[] lm = null;
            if (c.landmarks() != null) {
                lm = new float[c.landmarks().length];
                for (int k = 0; k < lm.length; k += 2) {
                    lm[k] = mapper.x(c.landmarks()[k]);
                    lm[k + 1] = mapper.y(c.landmarks()[k + 1]);
                }
            }
            float[] kp = null;
            if (c.keypoints() != null) {
                kp = new float[c.keypoints().length];
                for (int k = 0; k + 2 < kp.length; k += 3) {
                    kp[k] = mapper.x(c.keypoints()[k]);
                    kp[k + 1] = mapper.y(c.keypoints()[k + 1]);
                    kp[k + 2] = c.keypoints()[k + 2]; // the keypoint's confidence
                }
            }
            String label =
                    c.classId() < labels.size() ? labels.get(c.classId()) : "class" + c.classId();
            out.add(
                    new Detection(
                            label,
                            c.classId(),
                            c.score(),
                            mapper.x(c.x1()),
                            mapper.y(c.y1()),
                            mapper.x(c.x2()),
                            mapper.y(c.y2()),
                            lm,
                            kp,
                            Detection.NO_TRACK));
        }
        return out;
    }

    /** Which class ids to keep; null = all. An unknown label is a start-up error. */
    private static boolean[] classFilter(DetectorSettings settings, List<String> labels) {
        if (settings.classFilter().isEmpty()) {
            return null;
        }
        boolean[] keep = new boolean[labels.size()];
        for (String wanted : settings.classFilter()) {
            int id = labels.indexOf(wanted.trim());
            if (id < 0) {
                throw new IllegalArgumentException(
                        "class filter '"
                                + wanted
                                + "' is not a label of "
                                + settings.model()
                                + " (labels: "
                                + String.join(", ", labels.subList(0, Math.min(10, labels.size())))
                                + (labels.size() > 10 ? ", ..." : "")
                                + ")");
            }
            keep[id] = true;
        }
        return keep;
    }
}
