"""Greedy generation speed of the PyTorch reference: lm.py's own predict() with an untrained LSTM-256 over the Time
Machine's character vocabulary, prefix 'time traveller', N new characters -- what our bench times for its
"greedy generation, LSTM-256" figure (untimed runs first, then the median of the timed ones). Prints one JSON line.
   /usr/bin/python3 pytorch-generation.py LM_PY [--chars 300] [--threads 1] [--warmup 5] [--repeats 5]
bench --pytorch runs it from its resources (python3 - LM_PY ... < this file).
"""
import argparse
import importlib.util
import json
import os
import statistics
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument('lm')
ap.add_argument('--chars', type=int, default=300)
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--warmup', type=int, default=5)
ap.add_argument('--repeats', type=int, default=5)
a = ap.parse_args()
spec = importlib.util.spec_from_file_location('lm', a.lm)
lm = importlib.util.module_from_spec(spec)
sys.modules['lm'] = lm
spec.loader.exec_module(lm)  # sets OMP_WAIT_POLICY/OPENBLAS_NUM_THREADS defaults before torch loads, as lm.py does
torch = lm.torch
torch.set_num_threads(a.threads)
torch.manual_seed(0)
corpus, idx_to_char, char_to_idx, _ = lm.load_time_machine(lm.DEFAULT_DATA, 10000)
net = lm.build_model('lstm', len(idx_to_char), 256, 1)
net.eval()
times = []
for i in range(a.warmup + a.repeats):
    t0 = time.perf_counter()
    lm.predict('time traveller', a.chars, net, char_to_idx, idx_to_char)
    if i >= a.warmup:
        times.append(time.perf_counter() - t0)
print(json.dumps(dict(model='lstm-256', chars=a.chars, threads=a.threads, torch=torch.__version__,
                      seconds_median=statistics.median(times), chars_per_sec_median=a.chars / statistics.median(times))))
