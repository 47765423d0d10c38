#!/usr/bin/env bash
# FrameFlow benchmark suite: builds the bench module (with the job, a Maven dependency) and runs
# io.frameflow.bench.Bench.
#   bench/run.sh [limit|e2e|baseline|scaling|stages|infer-every|preprocess|decode|compare|tracking|tail|cameras|models|all ...]   (default: all = the first five, in that order)
#   infer-every: every camera at inferEvery 1,2,3,5 (-Dbench.inferEvery) and 1 without tracking, interleaved,
#   -Dbench.repeats=3 rounds, -Dbench.inferEveryPreload=900 frames drained per run; medians with min-max; beside them the
#   line and zone counts each N gives on the one-by-one clip with the same detector, every phase (needs ffmpeg);
#   -Dbench.withoutAnnotation=1,3 adds those N with --annotated-frames false (metered on the detections topic);
#   -Dbench.withArgs="3:--kafka.batch.size,16384;1:..." adds those N with extra job arguments, comma-separated (a what-if, same rounds)
#   decode: a full-size JPEG decode into the kept image (the job) vs a fresh image every frame (before 2026-12-04),
#   interleaved -Dbench.repeats (default 5) rounds, one thread, no broker
#   preprocess: writing decoded frames into a 416x416 tensor, the job's TensorWriter vs an OpenCV variant,
#   interleaved -Dbench.repeats (default 5) rounds, one thread, no broker
#   compare: limit, FrameFlow and the naive baseline with the same warm-up (-Dbench.compareWarmUpSeconds=60 of
#   throw-away runs each), then interleaved limit -> FrameFlow -> baseline for -Dbench.repeats=3 rounds; medians (min-max),
#   ratios taken within each round, CPU per frame by thread group per round (issue 19: the figures to quote)
#   tracking: capture order and the tracking operator per frame (issue 16), on the one-by-one clip's detections as
#   -Dbench.trackingCameras=16 cameras x -Dbench.trackingLoops=3, in Flink's operator test harness, -Dbench.repeats=5 rounds;
#   the clip's detections (and so the line and zone counts at inferEvery N) from -Dbench.trackingModel=yolox_nano.onnx
#   tail: where the p99 at 90 % load comes from: FrameFlow with checkpoints every 10 s and every 3 min (none in the run), interleaved
#   -Dbench.repeats rounds, -Dbench.tailSeconds=40 paced at 90 % of the drain rate; checkpoint windows and GC pauses
#   set against the slowest 1 % of the frames
#   cameras: cameras per machine at 5 fps with p99 <= -Dbench.p99Ms=200, searched (grow by half, then bisect, then
#   -Dbench.repeats=2 more probes at the bound), for every frame inferred, inferEvery 3 and skipUnchanged 0.005, on the
#   one-by-one clip played in order by every camera; -Dbench.probeSeconds=20 paced per probe, -Dbench.firstCameras=8;
#   -Dbench.cameraVariants=2 (the first two only), -Dbench.annotatedFrames=false (every variant without annotated frames)
#   models: per-frame cost of pose, of face detection + embedding per frame vs once per track, and of two models on one
#   frame, beside YOLOX-Nano alone, one thread, the face-walk clip x -Dbench.modelLoops=5, -Dbench.repeats=5 rounds
#   bench/run.sh --help                                          (this text)
# Tables go to stdout and bench/target/bench-results.md; charts to docs/bench/*.png.
# Knobs via BENCH_OPTS (system properties), e.g. a short smoke run:
#   BENCH_OPTS="-Dbench.models=yolox_nano.onnx -Dbench.res=480p -Dbench.seconds=3 -Dbench.drainSeconds=4 \
#     -Dbench.pacedSeconds=4 -Dbench.cameras=1,4" bench/run.sh
# -Dbench.models=yolox_nano.onnx,FastestDet.onnx  -Dbench.res=480p,1080p  -Dbench.seconds=8 (limit/stage run time)
# -Dbench.drainSeconds=12 (frames preloaded = limit f/s x this, at most -Dbench.maxPreload=3000)  -Dbench.pacedSeconds=12 (each paced phase)
# -Dbench.e2eCameras=16 (cameras in e2e/baseline; 0 = the 6 source cameras, whose hash split is skewed 71/28 at parallelism 2)
# -Dbench.sourceCamerasRow=true (adds a FrameFlow row on the 6 source cameras for the first model/res)
# -Dbench.parallelism=<cores>  -Dbench.baselineThreads=<cores>  -Dbench.cameras=1,4,16,64
# -Dbench.scalingParallelism=1,<cores>  -Dbench.scalingModel=<first model>  -Dbench.scalingRes=<first res>
# -Dbench.scalingRate=<0 = half of FrameFlow's drain rate>  -Dbench.charts=docs/bench
# -Dbench.warmUpFrames=2000 (throw-away run, with FastestDet when listed, of FrameFlow and of the baseline before their measured runs: JIT)
# -Dbench.warmUpSeconds=180 (FrameFlow's throw-away runs repeat until this much time has passed: the JIT settles; 0 = one run)
# -Dbench.annotatedMaxWidth=1280 (the job's --annotated-max-width and its default, applied to the limit, FrameFlow and the baseline alike; 0 = full size)
# -Dbench.whatIf="key=value;..." adds a FrameFlow row with those Flink settings (first model/res) in e2e
# -Dbench.flinkConf="key=value;key=value" (what-if Flink settings for the job); BENCH_JVM="-XX:StartFlightRecording=..." for JFR
# Not a test: it asserts nothing, it prints figures. Needs ffmpeg for the 1080p frames.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,/^set -euo pipefail/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
  exit 0
fi
cd "$(dirname "$0")/.."
SHARED="${FRAMEFLOW_SHARED:-$(pwd)/../shared}"

mvn -B -o -q -pl bench -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime

# 1080p frames: the shared 480p/432p JPEG frames upscaled once with ffmpeg (same folders = cameras)
HD=bench/target/frames-1080p
if [ ! -f "$HD/.done" ]; then
  command -v ffmpeg >/dev/null || { echo "ffmpeg is needed to make the 1080p frames (apt-get install ffmpeg)" >&2; exit 1; }
  rm -rf "$HD"
  for dir in "$SHARED"/media/frames/*/; do
    cam=$(basename "$dir"); mkdir -p "$HD/$cam"
    for f in "$dir"*.jpg; do
      ffmpeg -loglevel error -nostdin -y -i "$f" -vf scale=1920:1080:flags=bicubic -q:v 3 "$HD/$cam/$(basename "$f")"
    done
  done
  touch "$HD/.done"
fi

CP="bench/target/classes:$(cat bench/target/bench.classpath)"
exec java -Xmx${BENCH_HEAP:-3g} ${BENCH_JVM:-} -Djava.awt.headless=true -Dframeflow.shared="$SHARED" \
  -Dbench.frames1080p="$HD" ${BENCH_OPTS:-} -cp "$CP" io.frameflow.bench.Bench "$@"
