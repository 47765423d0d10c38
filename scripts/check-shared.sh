#!/usr/bin/env bash
# Checks the models and sample media FrameFlow reads from $FRAMEFLOW_SHARED (default: ../shared
# beside the project) and says exactly what is missing and where it goes. Exit 0 when the demo
# can run (a detector and at least one clip), 1 otherwise; --tests also requires what the test
# suites read. Where the folder has SHA256SUMS files, every file is checked against them.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${FRAMEFLOW_SHARED:-$ROOT/../shared}"
for_tests=0
[[ "${1:-}" == "--tests" ]] && for_tests=1

missing=0
say() { printf '%-8s %s\n' "$1" "$2"; }
need() { # need FILE WHAT
  if [[ -e "$SHARED/$1" ]]; then say ok "$1"; else say MISSING "$1  <- $2"; missing=1; fi
}

echo "FrameFlow shared folder: $SHARED"
if [[ ! -d "$SHARED" ]]; then
  cat <<MSG
No such folder. Create it (or point FRAMEFLOW_SHARED at one) with this layout:
  models/yolox_nano.onnx       YOLOX-nano, 416x416 COCO detector (github.com/Megvii-BaseDetection/YOLOX releases)
  models/coco80.txt            the 80 COCO class names, one per line
  media/video/*.mp4            any clips to publish as cameras (people walking work best)
Any detector of a supported output layout works instead of YOLOX-nano: ./frameflow demo --model FILE
(docs/inference.md lists the layouts; e.g. an Ultralytics export: yolo export model=yolo11n.pt format=onnx).
MSG
  exit 1
fi

echo "-- the demo (./frameflow demo)"
need models/yolox_nano.onnx "a COCO detector (YOLOX-nano release asset), or pass --model FILE"
shopt -s nullglob
clips=("$SHARED"/media/video/*.mp4)
shopt -u nullglob
if [[ ${#clips[@]} -gt 0 ]]; then
  say ok "media/video/ (${#clips[@]} clips)"
else
  say MISSING "media/video/*.mp4  <- any MP4 clips; each becomes a camera"
  missing=1
fi

if [[ $for_tests == 1 ]]; then
  echo "-- the tests (mvn -B verify)"
  need models/coco80.txt "COCO class names, one per line"
  need models/yunet_n_dynamic.onnx "YuNet face detector with landmarks (OpenCV Zoo)"
  need models/mobilefacenet.onnx "MobileFaceNet face embedder"
  need models/yolo11n_pose_int8.onnx "YOLO11n-pose, Ultralytics pose layout"
  need models/yolov8n_int8.onnx "YOLOv8n int8 detector"
  need models/FastestDet.onnx "FastestDet detector"
  need models/version-RFB-320.onnx "UltraFace RFB-320 face detector"
  need media/ground_truth.csv "eye counts of the test frames"
  need media/video/one-by-one-person-detection.mp4 "six people walking past a table, one at a time"
  need media/video/face-demographics-walking-and-pause.mp4 "faces walking and pausing"
  need media/video/head-pose-face-detection-female-and-male.mp4 "two faces turning"
  need media/frames "frames of the clips (ground_truth.csv names them)"
  need media/images "still images (ground_truth.csv names them)"
fi

for sums in models/SHA256SUMS media/SHA256SUMS; do
  [[ -f "$SHARED/$sums" ]] || continue
  dir="$(dirname "$SHARED/$sums")"
  if bad="$(cd "$dir" && sha256sum --quiet -c SHA256SUMS 2>&1)"; then
    say ok "$sums (every file matches)"
  else
    say CHANGED "$sums: files differ from their checksums:"
    printf '%s\n' "$bad" | sed 's/^/           /'
    missing=1
  fi
done

if [[ $missing == 0 ]]; then echo "All there."; else echo "See above: put the missing files where shown (models README: $SHARED/models/README.md)."; fi
exit $missing
