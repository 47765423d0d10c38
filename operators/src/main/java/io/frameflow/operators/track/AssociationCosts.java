package io.frameflow.operators.track;

import io.frameflow.records.Detection;
import java.util.List;

/** The cost matrices the tracker's association stages solve ({@link LinearAssignment}). */
final class AssociationCosts {

    private AssociationCosts() {}

    /** Track-by-detection costs: 1 - IoU (x score), infinite across classes. */
    static double[][] of(
            List<Track> rows,
            List<Integer> cols,
            List<Detection> detections,
            double[][] boxes,
            boolean fuseScore) {
        double[][] c = new double[rows.size()][cols.size()];
        for (int r = 0; r < rows.size(); r++) {
            Track t = rows.get(r);
            for (int k = 0; k < cols.size(); k++) {
                int det = cols.get(k);
                Detection d = detections.get(det);
                if (d.classId() != t.classId) {
                    c[r][k] = Double.POSITIVE_INFINITY;
                    continue;
                }
                double iou = iou(t.box, boxes[det]);
                c[r][k] = 1 - (fuseScore ? iou * d.score() : iou);
            }
        }
        return c;
    }

    static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (!(iw > 0 && ih > 0)) {
            return 0;
        }
        double inter = iw * ih;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union > 0 ? inter / union : 0;
    }
}
