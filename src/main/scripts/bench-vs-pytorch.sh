#!/usr/bin/env bash
# Our `bench`, the PyTorch reference (shared/reference/pytorch/bench.py, Debian's torch 1.13) and the DJL reference
# (shared/reference/djl, DJL 0.36 on PyTorch 2.7.1) in ONE run, alternating config by config and side by side for
# several rounds, same machine and thread count; prints config, ours, PyTorch, DJL and the ratios, and writes the
# table and a bar chart to notebooks-export/performance/ (or $REPORT). Timings on a shared machine are noisy: compare
# ratios from one run only, and run nothing else meanwhile.
#   src/main/scripts/bench-vs-pytorch.sh [bench options, e.g. --configs gru256,lstm256 --iterations 20]
# Environment: THREADS (default 1, every side), ROUNDS (default 3), REPORT (default notebooks-export/performance),
# ALSO_THREADS=N also measures ours at N threads in the same rotation, DJL=0 leaves DJL out, PYTORCH_BENCH (default ../shared/reference/pytorch/bench.py), DJL_REFERENCE (default
# ../shared/reference/djl), D2L_DATA_MIRROR (default ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/../../.."
REF=${PYTORCH_BENCH:-../shared/reference/pytorch/bench.py}
DJL_SRC=${DJL_REFERENCE:-../shared/reference/djl}
THREADS=${THREADS:-1}
ROUNDS=${ROUNDS:-3}
REPORT=${REPORT:-notebooks-export/performance}
# torch 1.13 from Debian calls whatever libblas.so.3 points to; without OpenBLAS that is netlib's reference BLAS (10x
# slower), which is not the reference's setup
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "PyTorch or OpenBLAS missing: installing Debian's python3-torch and libopenblas0-pthread (the reference's setup)" >&2
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch libopenblas0-pthread
fi
if [ -z "${D2L_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export D2L_DATA_MIRROR=$(cd ../shared/datasets && pwd)
fi
DJL_ARGS=""
if [ "${DJL:-1}" != 0 ]; then
  # a copy under target/: building in the shared reference would leave its target/ there. libtorch comes from
  # Maven Central (ai.djl.pytorch:pytorch-native-cpu, 112 MB, once); the classpath file lets bench start it with java
  DJL_DIR=target/djl-bench
  mkdir -p "$DJL_DIR"
  cp -r "$DJL_SRC/pom.xml" "$DJL_SRC/src" "$DJL_DIR/"
  mvn -q -f "$DJL_DIR/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$DJL_DIR/classpath.txt" >/dev/null
  DJL_ARGS="--djl $DJL_DIR"
fi
# what the report gives as the command that reproduces it
ALSO_ARGS=${ALSO_THREADS:+--also-threads $ALSO_THREADS}
export D2L_BENCH_COMMAND="THREADS=$THREADS ROUNDS=$ROUNDS REPORT=$REPORT DJL=${DJL:-1}${ALSO_THREADS:+ ALSO_THREADS=$ALSO_THREADS} src/main/scripts/bench-vs-pytorch.sh $*"
# read by the native libraries when they load, so set before the JVM starts
# every side gets THREADS threads in its BLAS too (PyTorch 1.13 and ours call OpenBLAS, whose pool is its own)
export OMP_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=$THREADS
mvn -q compile exec:java -Dexec.args="bench --threads $THREADS --rounds $ROUNDS --pytorch $REF $DJL_ARGS $ALSO_ARGS --report $REPORT $*"
