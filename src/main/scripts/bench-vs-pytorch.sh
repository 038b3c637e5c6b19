#!/usr/bin/env bash
# Our `bench` and the PyTorch reference (shared/reference/pytorch/bench.py) in ONE run, alternating config by
# config, same machine and thread count; prints config, ours, PyTorch, ratio and writes the table and a bar chart
# to notebooks-export/performance/. Timings on a shared machine are noisy: compare ratios from one run only, and
# run nothing else meanwhile.
#   src/main/scripts/bench-vs-pytorch.sh [bench options, e.g. --configs gru256,lstm256 --iterations 20]
# Environment: THREADS (default 1, both sides), PYTORCH_BENCH (default ../shared/reference/pytorch/bench.py),
# D2L_DATA_MIRROR (default ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/../../.."
REF=${PYTORCH_BENCH:-../shared/reference/pytorch/bench.py}
THREADS=${THREADS:-1}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch missing: installing Debian's python3-torch and libopenblas0-pthread (the reference's setup)" >&2
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch libopenblas0-pthread
fi
if [ -z "${D2L_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export D2L_DATA_MIRROR=$(cd ../shared/datasets && pwd)
fi
# read by the native libraries when they load, so set before the JVM starts
export OMP_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1
mvn -q compile exec:java -Dexec.args="bench --threads $THREADS --pytorch $REF --report notebooks-export/performance $*"
