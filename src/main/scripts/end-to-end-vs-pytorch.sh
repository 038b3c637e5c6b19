#!/usr/bin/env bash
# Whole training runs at d2l's settings, ours (the CLI, one JVM per run) right after the PyTorch reference's
# (shared/reference/pytorch/lm.py, seq2seq.py) or the other way round, alternating section by section; each side
# writes its JSON into target/end-to-end/. Then `bench --end-to-end` makes the table (wall time of the training
# loop, tokens/s over the whole run, both sides) in notebooks-export/performance/end-to-end/ (or $REPORT).
#   src/main/scripts/end-to-end-vs-pytorch.sh SECTION...      e.g. seq2seq gru lstm
# Sections: seq2seq (9.7; PyTorch with --fixed-context, the encoder's context as ours), rnn-scratch (8.5), rnn (8.6),
# gru (9.1), lstm (9.2), deep-lstm (9.3), gru-scratch, lstm-scratch. Full runs take minutes each (PyTorch 1.13's
# deep-lstm: 8 minutes): run a few at a time, each pair inside one quiet window.
# Environment: THREADS (default 1, both sides), REPORT, PYTORCH_REFERENCE (default ../shared/reference/pytorch),
# D2L_DATA_MIRROR (default ../shared/datasets). KEEP=1 keeps the JSON of earlier sections in target/end-to-end/.
set -euo pipefail
cd "$(dirname "$0")/../../.."
REF=${PYTORCH_REFERENCE:-../shared/reference/pytorch}
THREADS=${THREADS:-1}
REPORT=${REPORT:-notebooks-export/performance/end-to-end}
OUT=target/end-to-end
[ $# -gt 0 ] || { echo "usage: $0 SECTION... (seq2seq rnn-scratch rnn gru lstm deep-lstm gru-scratch lstm-scratch)" >&2; exit 2; }
if [ -z "${D2L_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export D2L_DATA_MIRROR=$(cd ../shared/datasets && pwd)
fi
export OMP_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=$THREADS
mkdir -p "$OUT"
[ "${KEEP:-0}" = 1 ] || rm -f "$OUT"/*.json "$OUT"/*.cmd "$OUT"/commands.txt
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
    *) echo "unknown section '$s'; choose from seq2seq rnn-scratch rnn gru lstm deep-lstm gru-scratch lstm-scratch" >&2; exit 2 ;;
  esac
  run_ours() { echo "ours: ${ours[*]}" >&2; "${JAVA[@]}" "${ours[@]}" --json | tail -1 > "$OUT/$s.ours.json"; }
  run_theirs() { echo "PyTorch: ${theirs[*]}" >&2
    /usr/bin/python3 "$REF/${theirs[0]}" "${theirs[@]:1}" --threads "$THREADS" --json-out "$OUT/$s.pytorch.json" > "$OUT/$s.pytorch.log"; }
  if [ $((i % 2)) = 0 ]; then run_ours; run_theirs; else run_theirs; run_ours; fi
  printf '%s\n%s\n' "${ours[*]}" "${theirs[*]}" > "$OUT/$s.cmd"
  i=$((i + 1))
done
# the report names every invocation whose runs it shows (KEEP=1 adds to the earlier ones)
echo "THREADS=$THREADS REPORT=$REPORT${KEEP:+ KEEP=$KEEP} src/main/scripts/end-to-end-vs-pytorch.sh $*" >> "$OUT/commands.txt"
D2L_BENCH_COMMAND="$(cat "$OUT/commands.txt")" "${JAVA[@]}" bench --end-to-end "$OUT" --report "$REPORT"
