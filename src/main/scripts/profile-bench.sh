#!/usr/bin/env bash
# Profiles the training step of one bench config with Java Flight Recorder and prints where the time goes
# (profile-summary.py). Usage: src/main/scripts/profile-bench.sh CONFIG [ITERATIONS]   e.g. lstm256 40
# Run it on an otherwise idle machine; JFR samples Java stacks every 10 ms and native ones every 20 ms.
set -euo pipefail
cd "$(dirname "$0")/../../.."
config=${1:?usage: profile-bench.sh CONFIG [ITERATIONS]}
iterations=${2:-40}
out=target/profile-$config.jfr
mkdir -p target
MAVEN_OPTS="-XX:StartFlightRecording=filename=$out,settings=profile ${MAVEN_OPTS:-}" \
  mvn -q compile exec:java -Dexec.args="bench --configs $config --iterations $iterations --windows 3" >&2
jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 96 "$out" \
  | python3 "$(dirname "$0")/profile-summary.py"
