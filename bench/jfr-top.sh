#!/usr/bin/env bash
# Summarises a JFR recording of a benchmark run: where the Java threads were sampled
# (jdk.ExecutionSample: running Java code; jdk.NativeMethodSample: inside a native call such as
# ORT's session.run or OpenCV), as top frames and as top "FrameFlow-or-library" frames.
#   BENCH_JVM="-XX:StartFlightRecording=filename=bench/target/e2e.jfr,settings=profile" bench/run.sh e2e
#   bench/jfr-top.sh bench/target/e2e.jfr [N]
set -eu  # no pipefail: `sort | head` ends sort with SIGPIPE
file="$1"; n="${2:-25}"
summarise() {
  local event="$1" title="$2"
  echo "### $title ($event), top $n frames"
  jfr print --events "$event" --stack-depth 1 "$file" |
    awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); c[$0]++; t++ }
         END { for (k in c) printf "%6.2f%%  %6d  %s\n", 100 * c[k] / t, c[k], k; }' |
    sort -rn | head -n "$n"
  echo
}
summarise jdk.ExecutionSample "Java code on CPU"
summarise jdk.NativeMethodSample "inside native calls"
echo "### Java code on CPU by package (top frame's package), top $n"
jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" |
  awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/\(.*/, ""); n = split($0, p, "."); pkg = p[1]; for (i = 2; i <= n - 2 && i <= 4; i++) pkg = pkg "." p[i]; c[pkg]++; t++ }
       END { for (k in c) printf "%6.2f%%  %6d  %s\n", 100 * c[k] / t, c[k], k; }' |
  sort -rn | head -n "$n"
