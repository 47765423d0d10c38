#!/usr/bin/env bash
# Runs io.frameflow.operators.inference.InferenceBenchmark (a main, not a test) on the shared frames.
# Usage: operators/bench/inference-bench.sh [model.onnx ...]   (default: yolox_nano.onnx yunet_n_dynamic.onnx)
# Knobs: -Dbench.rounds=3 -Dbench.passes=2 -Dbench.intraOp=0 -Dbench.preprocess=0 via BENCH_OPTS.
# exec:java cannot be used here: with -am it would also run in the parent pom.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl operators -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="operators/target/test-classes:operators/target/classes:$(cat operators/target/bench.classpath)"
exec java -Xmx2g -Dframeflow.shared="${FRAMEFLOW_SHARED:-$(pwd)/../shared}" ${BENCH_OPTS:-} \
  -cp "$CP" io.frameflow.operators.inference.InferenceBenchmark "$@"
