#!/usr/bin/env bash
# Builds the project's Docker images from Debian and Maven Central only, and runs them:
#   1. starts dockerd when no engine answers;
#   2. the base: a debootstrap'ed Debian bookworm (docker/make-base.sh), made once and then reused, since a new
#      import would invalidate every cached layer above it (D2L_REBUILD_BASE=1 makes it again);
#   3. the build base: JDK + Maven + this machine's extra CA certificates (docker/build-base.Dockerfile), and a
#      check that Java's truststore there holds them (Maven needs them behind an intercepting TLS proxy);
#   4. the CPU and GPU images (docker/Dockerfile), and a check that neither carries those CAs;
#   5. the CPU image: --help, train-lm --epochs 2 on the mounted dataset mirror, generate from the exported zip;
#   6. the GPU image without a GPU: every native library of the CUDA backend, extracted by JavaCPP, resolves with
#      ldd except the driver's own (libcuda.so.1, libnvidia-*), and the CLI says in one line that there is no CUDA
#      driver/device, with exit code 3 and no stack trace.
# Any failed check stops the script with a non-zero exit. Run as root from anywhere:
#   docker/build-and-test.sh
# Environment: D2L_DATA_MIRROR (default ../shared/datasets), EXTRA_CA_DIR (default /usr/local/share/ca-certificates),
# D2L_REBUILD_BASE=1, DOCKER (default docker).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
DOCKER="${DOCKER:-docker}"
BASE=d2l-debian:bookworm
BUILD_BASE=d2l-build-base:local
CPU=d2l-rnn-dl4j:cpu
GPU=d2l-rnn-dl4j:gpu
mirror="$(cd "${D2L_DATA_MIRROR:-../shared/datasets}" && pwd)"
extra_ca_dir="${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"
work="$(mktemp -d /tmp/d2l-docker-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
t0=$SECONDS

step() { printf '\n== [%4ds] %s\n' "$((SECONDS - t0))" "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
size() { "$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{printf "%.2f GB", $1/1e9}'; }
build() { # build TAG ARGS...: docker build, with its log kept and its tail shown on failure
  local tag="$1"; shift
  local s=$SECONDS
  if ! "$DOCKER" build -t "$tag" "$@" > "$work/build-${tag//[:\/]/_}.log" 2>&1; then
    tail -40 "$work/build-${tag//[:\/]/_}.log" >&2
    fail "docker build of $tag"
  fi
  ok "$tag built in $((SECONDS - s)) s, $(size "$tag")"
}

step "Docker engine"
if ! "$DOCKER" info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || fail "no Docker engine answers and there is no dockerd (apt-get install docker.io)"
  [ "$(id -u)" = 0 ] || fail "dockerd must be started as root"
  echo "no engine answers: starting dockerd (log: /tmp/d2l-dockerd.log)"
  nohup dockerd > /tmp/d2l-dockerd.log 2>&1 &
  for _ in $(seq 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -20 /tmp/d2l-dockerd.log >&2; fail "dockerd did not start"; }
fi
ok "engine $("$DOCKER" version -f '{{.Server.Version}}'), client $("$DOCKER" version -f '{{.Client.Version}}')"

step "Base image $BASE (debootstrap --variant=minbase bookworm)"
if [ "${D2L_REBUILD_BASE:-0}" = 1 ] || ! "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
  s=$SECONDS
  docker/make-base.sh "$BASE"
  ok "made in $((SECONDS - s)) s"
else
  ok "reusing $BASE from $("$DOCKER" image inspect -f '{{.Created}}' "$BASE"), $(size "$BASE") (D2L_REBUILD_BASE=1 remakes it)"
fi

step "Build base $BUILD_BASE (JDK 17 + Maven + this machine's extra CAs, for build stages only)"
mkdir -p "$work/build-base/extra-ca"
cp docker/build-base.Dockerfile "$work/build-base/Dockerfile"
# the host's extra CAs and their SHA-256 fingerprints, which the checks below look for
: > "$work/fingerprints"
if [ -d "$extra_ca_dir" ]; then
  while IFS= read -r -d '' crt; do
    cp "$crt" "$work/build-base/extra-ca/$(basename "$crt")"
    fp="$(openssl x509 -in "$crt" -noout -fingerprint -sha256 | sed 's/.*=//')"
    echo "$fp $(openssl x509 -in "$crt" -noout -subject | sed 's/^subject=//')" >> "$work/fingerprints"
  done < <(find "$extra_ca_dir" -name '*.crt' -type f -print0)
fi
if [ -s "$work/fingerprints" ]; then
  echo "extra CAs from $extra_ca_dir:"; sed 's/^/  /' "$work/fingerprints"
else
  echo "no extra CAs in $extra_ca_dir: the build base adds none, and the image checks below have nothing to find"
fi
build "$BUILD_BASE" --build-arg BASE="$BASE" "$work/build-base"
"$DOCKER" run --rm --entrypoint sh "$BUILD_BASE" -c \
  'keytool -list -cacerts -storepass changeit 2>/dev/null; cat /etc/ssl/certs/ca-certificates.crt' > "$work/build-base.trust"
while read -r fp subject; do
  grep -qF "$fp" "$work/build-base.trust" || fail "Java's truststore in $BUILD_BASE lacks $subject ($fp): Maven would fail"
  ok "Java's truststore in $BUILD_BASE holds $subject"
done < "$work/fingerprints"

step "CPU image $CPU (nd4j-native)"
build "$CPU" -f docker/Dockerfile --target cpu --build-arg BASE="$BASE" --build-arg BUILD_BASE="$BUILD_BASE" .

step "GPU image $GPU (-Pcuda: ND4J CUDA 11.6 + CUDA 11.6 / cuDNN 8.3 from Maven Central)"
build "$GPU" -f docker/Dockerfile --target gpu --build-arg BASE="$BASE" --build-arg BUILD_BASE="$BUILD_BASE" .

step "The images users run carry none of the build machine's extra CAs"
for image in "$CPU" "$GPU"; do
  # what Java and OpenSSL would trust in the image, and where update-ca-certificates would take local CAs from
  "$DOCKER" run --rm --entrypoint sh "$image" -c \
    'keytool -list -cacerts -storepass changeit 2>&1; cat /etc/ssl/certs/ca-certificates.crt;
     echo "local CAs: $(find /usr/local/share/ca-certificates -type f 2>/dev/null | wc -l)"' > "$work/trust"
  grep -q "trustedCertEntry" "$work/trust" || fail "could not list Java's truststore in $image"
  grep -q "^local CAs: 0$" "$work/trust" || fail "$image has files in /usr/local/share/ca-certificates"
  while read -r fp subject; do
    ! grep -qF "$fp" "$work/trust" || fail "$image trusts the build machine's CA $subject ($fp)"
  done < "$work/fingerprints"
  # and no layer of the build base other than the shared Debian base is part of the image (a CA file deleted in
  # a later layer would still be carried by an earlier one)
  comm -12 <("$DOCKER" image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$image" | sort) \
           <("$DOCKER" image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$BUILD_BASE" | sort) \
    | grep . > "$work/shared-layers" || true
  base_layers="$("$DOCKER" image inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' "$BASE" | grep -c .)"
  [ "$(wc -l < "$work/shared-layers")" = "$base_layers" ] || fail "$image shares layers with $BUILD_BASE beyond $BASE"
  ok "$image: Java truststore ($(grep -c trustedCertEntry "$work/trust") entries) and /etc/ssl/certs hold none of the $(wc -l < "$work/fingerprints") extra CAs; no layer from $BUILD_BASE"
done

step "CPU image: --help"
"$DOCKER" run --rm "$CPU" --help > "$work/help.txt" 2>&1 || { cat "$work/help.txt"; fail "--help exited non-zero"; }
grep -q "train-lm" "$work/help.txt" || { cat "$work/help.txt"; fail "--help does not list train-lm"; }
sed -n '1,6p' "$work/help.txt"
ok "--help ($(wc -l < "$work/help.txt") lines)"

step "CPU image: train-lm --epochs 2 on the mirror, model exported to a host volume"
mkdir -p "$work/models"
s=$SECONDS
"$DOCKER" run --rm -v "$mirror:/mirror:ro" -e D2L_DATA_MIRROR=/mirror -v "$work/models:/app/models" "$CPU" \
  train-lm --model lstm --optimizer adam --lr 0.01 --epochs 2 --save models/lstm-docker.zip \
  > "$work/train.txt" 2>&1 || { tail -40 "$work/train.txt"; fail "train-lm in $CPU"; }
# the progress bar redraws itself with carriage returns: show the lines as a terminal would end up
tr '\r' '\n' < "$work/train.txt" | grep -v '^\s*$' | grep -v '%.*│' | tail -15
[ -s "$work/models/lstm-docker.zip" ] || fail "no models/lstm-docker.zip on the host volume"
ok "trained in $((SECONDS - s)) s (container start, JVM, 2 epochs), $(du -h "$work/models/lstm-docker.zip" | cut -f1) zip on the host"

step "CPU image: generate from the exported zip (a fresh container)"
"$DOCKER" run --rm -v "$work/models:/app/models:ro" "$CPU" \
  generate --model models/lstm-docker.zip --prefix "time traveller" --length 50 > "$work/generate.txt" 2>&1 \
  || { cat "$work/generate.txt"; fail "generate in $CPU"; }
grep -v "^WARNING: Using incubator modules" "$work/generate.txt" | tail -5
grep -q "time traveller" "$work/generate.txt" || fail "generate printed no continuation of the prefix"
ok "generate"

step "GPU image: every native library of the CUDA backend resolves (ldd of what JavaCPP extracts)"
# The backend: ND4J's CUDA build (nd4j-cuda-11.6), JavaCPP's CUDA presets and the CUDA 11.6 / cuDNN 8.3
# redistributable (org.bytedeco:cuda), JavaCPP itself. CudaBackendCheck extract runs JavaCPP's
# Loader.cacheResources on each */linux-x86_64/ directory of those jars that holds shared libraries; then ldd
# every file, with the extracted directories as the search path (the loader finds them the same way: JavaCPP
# preloads each library from its cache before its dependents).
"$DOCKER" run --rm --entrypoint sh "$GPU" -c '
  set -e
  java $(cat /app/jvm.config) -Dorg.bytedeco.javacpp.cachedir=/tmp/jc -cp "/app/classes:/app/lib/*" \
    org.d2l.rnn.runtime.CudaBackendCheck extract nd4j-cuda- cuda- javacpp- 2>/dev/null > /tmp/dirs
  export LD_LIBRARY_PATH="$(paste -sd: /tmp/dirs)"
  while read -r d; do
    for f in "$d"/*.so*; do
      [ -f "$f" ] || continue
      echo "LIB ${f#/tmp/jc/}"
      ldd "$f" 2>&1 | grep "not found" | sed "s|^\s*|MISSING |; s| =>.*||" || true
    done
  done < /tmp/dirs' > "$work/ldd.txt" || { tail -20 "$work/ldd.txt"; fail "extracting the GPU image's native libraries"; }
libs=$(grep -c '^LIB ' "$work/ldd.txt" || true)
[ "$libs" -gt 0 ] || fail "no native libraries were extracted from $GPU"
grep -q '^LIB nd4j-cuda-.*/libnd4jcuda.so' "$work/ldd.txt" || fail "ND4J's libnd4jcuda.so was not among them"
# which jars they came from, and how many libraries each
grep '^LIB ' "$work/ldd.txt" | sed 's|^LIB \([^/]*\)/.*|\1|' | sort | uniq -c | sed 's/^ */  /'
awk '/^LIB /{lib=$2} /^MISSING /{print lib, $2}' "$work/ldd.txt" > "$work/missing.txt"
grep -vE ' (libcuda\.so\.1|libnvidia-[^ ]*)$' "$work/missing.txt" > "$work/missing-other.txt" || true
if [ -s "$work/missing-other.txt" ]; then
  cat "$work/missing-other.txt" >&2
  fail "libraries of the CUDA backend in $GPU need files that are not in the image and do not come from the driver"
fi
echo "libraries that link the driver's own files, which the NVIDIA container toolkit mounts from the host:"
awk '{n=split($1,p,"/"); print "  " p[n] " -> " $2}' "$work/missing.txt" | sort
[ -s "$work/missing.txt" ] || echo "  (none)"
ok "$libs libraries extracted by JavaCPP from $GPU; all resolve except $(wc -l < "$work/missing.txt") links to the driver ($(cut -d' ' -f2 "$work/missing.txt" | sort -u | paste -sd, -))"

step "GPU image without a GPU: one line that says so, exit code 3, no stack trace"
"$DOCKER" run --rm "$GPU" --help > "$work/gpu-help.txt" 2>&1 || { cat "$work/gpu-help.txt"; fail "--help in $GPU"; }
ok "--help works without a GPU"
set +e
"$DOCKER" run --rm -v "$mirror:/mirror:ro" -e D2L_DATA_MIRROR=/mirror "$GPU" train-lm --epochs 1 > "$work/gpu.txt" 2>&1
code=$?
set -e
cat "$work/gpu.txt"
[ "$code" = 3 ] || fail "expected exit code 3 from $GPU without a GPU, got $code"
grep -qE '^\s+at |Exception in thread|Caused by:|^[a-z.]+(Exception|Error)' "$work/gpu.txt" \
  && fail "$GPU printed a stack trace"
[ "$(grep -c 'CUDA' "$work/gpu.txt")" = 1 ] || fail "expected exactly one line about CUDA"
grep -q '^error: no CUDA driver/device found' "$work/gpu.txt" || fail "the line does not say 'no CUDA driver/device found'"
# everything else it printed may only be the JVM's note on the incubator modules
[ "$(grep -vc -e '^error: no CUDA driver/device found' -e '^WARNING: Using incubator modules' "$work/gpu.txt")" = 0 ] \
  || fail "$GPU printed more than the one line"
ok "exit code 3, one line"

step "Summary"
printf '  %s: %s\n' "$BASE" "$(size "$BASE")" "$BUILD_BASE" "$(size "$BUILD_BASE")" "$CPU" "$(size "$CPU")" "$GPU" "$(size "$GPU")"
echo "ALL CHECKS PASSED in $((SECONDS - t0)) s"
