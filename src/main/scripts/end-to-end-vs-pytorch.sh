#!/usr/bin/env bash
# Whole training runs at d2l's settings, ours (the CLI, one JVM per run) right after the PyTorch reference's
# (shared/reference/pytorch/lm.py, seq2seq.py) or the other way round, alternating section by section; each side
# writes its JSON into target/end-to-end/. Then `bench --end-to-end` makes the table (wall time of the training
# loop, tokens/s over the whole run, both sides) in notebooks-export/performance/end-to-end/ (or $REPORT).
#   src/main/scripts/end-to-end-vs-pytorch.sh SECTION...      e.g. seq2seq gru lstm
# Sections: seq2seq (9.7; PyTorch with --fixed-context, the encoder's context as ours), rnn-scratch (8.5), rnn (8.6),
# gru (9.1), lstm (9.2), deep-lstm (9.3), bi-lstm (9.4), gru-scratch, lstm-scratch, jaychou-rnn (d2l-zh 6.5: the
# concise RNN on Jay Chou's lyrics, Adam, the state carried across epochs, θ = 0.01 really applied on both sides).
# Full runs take minutes each (PyTorch 1.13's deep-lstm: 8 minutes, bi-lstm: ~30): run a few at a time, each pair
# inside one quiet window.
# Environment: THREADS (default 1, both sides), REPORT, PYTORCH_REFERENCE (default ../shared/reference/pytorch),
# D2L_DATA_MIRROR (default ../shared/datasets). KEEP=1 keeps the report's rows of the sections not run now (from its
# metrics.json, with the time each finished) and its earlier commands.
set -euo pipefail
cd "$(dirname "$0")/../../.."
REF=${PYTORCH_REFERENCE:-../shared/reference/pytorch}
THREADS=${THREADS:-1}
REPORT=${REPORT:-notebooks-export/performance/end-to-end}
OUT=target/end-to-end
SECTIONS="seq2seq rnn-scratch rnn gru lstm deep-lstm bi-lstm gru-scratch lstm-scratch jaychou-rnn"
[ $# -gt 0 ] || { echo "usage: $0 SECTION... ($SECTIONS)" >&2; exit 2; }
for s in "$@"; do
  case " $SECTIONS " in *" $s "*) ;; *) echo "unknown section '$s'; choose from $SECTIONS" >&2; exit 2 ;; esac
done
if [ "${KEEP:-0}" = 1 ] && [ ! -f "$REPORT/metrics.json" ]; then
  echo "KEEP=1 keeps the rows of $REPORT/metrics.json, which does not exist; run without KEEP=1" >&2; exit 2
fi
if [ -z "${D2L_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export D2L_DATA_MIRROR=$(cd ../shared/datasets && pwd)
fi
export OMP_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=$THREADS
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cmd "$OUT"/commands.txt # KEEP=1 reads earlier rows from the report, not from here
mvn -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
CP="target/classes:$(cat target/classpath.txt)"
JAVA=(java $(cat .mvn/jvm.config) -cp "$CP" org.d2l.rnn.cli.Main --threads "$THREADS")
i=0
for s in "$@"; do
  case $s in
    seq2seq) ours=(train-seq2seq --save "$OUT/seq2seq.zip")
             theirs=(seq2seq.py --epochs 300 --fixed-context) ;;
    rnn-scratch) # d2l 8.5 and lm.py use 512 hidden units; train-lm's default is 256
             ours=(train-lm --model "$s" --hidden 512 --save "$OUT/$s.zip"); theirs=(lm.py --model "$s") ;;
    rnn|gru|lstm|gru-scratch|lstm-scratch)
             ours=(train-lm --model "$s" --save "$OUT/$s.zip"); theirs=(lm.py --model "$s") ;;
    deep-lstm) ours=(train-lm --model lstm --layers 2 --lr 2 --save "$OUT/$s.zip"); theirs=(lm.py --model deep-lstm) ;;
    bi-lstm) ours=(train-lm --model bi-lstm --layers 2 --save "$OUT/$s.zip"); theirs=(lm.py --model bi-lstm) ;;
    jaychou-rnn) ours=(train-lm --dataset jay-chou --model rnn --optimizer adam --lr 0.001 --clip 0.01 --epochs 250
                       --carry-state --no-random-offset --prefix 分开 --prefix 不分开 --save "$OUT/$s.zip")
             theirs=(lm.py --corpus jaychou --model rnn --epochs 250 --clip-mode clip) ;;
  esac
  run_ours() { echo "ours: ${ours[*]}" >&2; "${JAVA[@]}" "${ours[@]}" --json | tail -1 > "$OUT/$s.ours.json"; }
  run_theirs() { echo "PyTorch: ${theirs[*]}" >&2
    /usr/bin/python3 "$REF/${theirs[0]}" "${theirs[@]:1}" --threads "$THREADS" --json-out "$OUT/$s.pytorch.json" > "$OUT/$s.pytorch.log"; }
  if [ $((i % 2)) = 0 ]; then run_ours; run_theirs; else run_theirs; run_ours; fi
  printf '%s\n%s\n' "${ours[*]}" "${theirs[*]}" > "$OUT/$s.cmd"
  i=$((i + 1))
done

# the report names every invocation whose runs it shows (--keep-earlier puts the report's earlier ones first)
KEEP_ARGS=(); [ "${KEEP:-0}" = 1 ] && KEEP_ARGS=(--keep-earlier)
D2L_BENCH_COMMAND="THREADS=$THREADS REPORT=$REPORT${KEEP:+ KEEP=$KEEP} src/main/scripts/end-to-end-vs-pytorch.sh $*" \
  "${JAVA[@]}" bench --end-to-end "$OUT" --report "$REPORT" "${KEEP_ARGS[@]}"
