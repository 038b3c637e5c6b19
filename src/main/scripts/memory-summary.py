#!/usr/bin/env python3
"""The memory table of the language-model sections and the soak runs, generated from their metrics.json (the reports
are made by `run <section>` and `soak --report`; this only reads them). For every run: the resident set after 10% of
the epochs (the end of warm-up; epoch 50 of 500) and at the last epoch, their ratio, the least-squares slope of the
resident set over the epochs after warm-up, and the same for the memory outside the committed Java heap.

Usage: src/main/scripts/memory-summary.py notebooks-export REPORT... > notebooks-export/performance/memory/README.md
where each REPORT is a section (lstm: notebooks-export/lstm/), a section run kept elsewhere (a path with a slash under
notebooks-export, e.g. performance/memory/rnn-scratch: the report `run rnn-scratch --out` wrote there), an exercise
(exercises/clipping: its runs share one JVM, and a second table gives each run's baseline) or a soak report
(soak-bi-rnn: notebooks-export/performance/soak-bi-rnn/); only the reports named are read, so one made by older code
is not mixed in. For a soak run without detaching, a third table splits the resident set into the committed Java heap
and the rest, epoch by epoch, and bounds it by the -Xmx of its JVM options.
"""
import datetime
import json
import subprocess
import os
import re
import sys



def slope(y, start):
    xs = range(start, len(y))
    n = len(y) - start
    mx = sum(xs) / n
    my = sum(y[start:]) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y[x] - my) for x in xs) / sxx


def target(n, r0, r1, o0, o1, undetached):
    """Issue 16's targets, from the row's own numbers: a 500-epoch section's resident set at the last epoch within 5%
    of the warm-up epoch's; an undetached soak's outside-heap memory at the last epoch within 1.2x the warm-up's."""
    if undetached:
        return f'{"met" if o1 / o0 <= 1.2 else "not met"} (outside the heap ≤ 1.2×)'
    if n >= 500:
        return f'{"met" if abs(r1 / r0 - 1) <= 0.05 else "not met"} (resident set within 5%)'
    return '—'


def row(name, run, resident, outside, warm_up, undetached=False):
    n = len(resident)
    w = max(warm_up, 1)
    r0, r1, o0, o1 = resident[w - 1], resident[-1], outside[w - 1], outside[-1]
    return (f'| {name} | {run} | {n} | {w} | {r0:.0f} → {r1:.0f} | {r1 / r0:.3f} | {slope(resident, w):+.3f} | '
            f'{max(resident[w - 1:]):.0f} | {o0:.0f} → {o1:.0f} | {o1 / o0:.2f} | {slope(outside, w):+.3f} | '
            f'{r0 - o0:.0f} → {r1 - o1:.0f} | {target(n, r0, r1, o0, o1, undetached)} |')


def section_name(s):
    """The `run` section of a report: lstm, exercises/clipping -> exercise-clipping, performance/memory/deep-rnn ->
    deep-rnn."""
    if s.startswith('exercises/'):
        return 'exercise-' + s.split('/', 1)[1]
    return s.rstrip('/').split('/')[-1]


def baseline_summary(name, runs):
    """One sentence per report: the later runs' baselines against the first's and the second's, and what part of
    the difference is the committed heap and what part the rest."""
    starts = [(r['resident_mib_at_run_start'], r['heap_committed_mib_at_run_start']) for _, r in runs]
    (r0, h0), later = starts[0], starts[1:]
    if not later:
        return ''
    pct = [100 * (r / r0 - 1) for r, _ in later]
    heap = [h - h0 for _, h in later]
    rest = [(r - h) - (r0 - h0) for r, h in later]
    text = (f'{name}: the baselines of runs 2 to {len(starts)} lie {min(pct):+.1f}% to {max(pct):+.1f}% from the first '
            f'run\'s ({r0:.0f} MiB); of that, the committed heap is {min(heap):+.0f} to {max(heap):+.0f} MiB and the rest '
            f'{min(rest):+.0f} to {max(rest):+.0f} MiB.')
    if len(later) > 1:
        r1 = later[0][0]
        pct2 = [100 * (r / r1 - 1) for r, _ in later[1:]]
        text += (f' Against the second run\'s baseline ({r1:.0f} MiB, the first taken after a run), runs 3 to '
                 f'{len(starts)} start {min(pct2):+.1f}% to {max(pct2):+.1f}% from it.')
    return text


def baselines(name, runs):
    """Rows of the between-runs table: each run's baseline (resident set at its start) against the first's."""
    first = None
    out = []
    for label, run in runs:
        start, heap = run.get('resident_mib_at_run_start'), run.get('heap_committed_mib_at_run_start')
        after = run.get('resident_mib_after_run')
        if start is None or heap is None or after is None:
            return []
        first = first or start
        res = run.get('resident_mib_by_epoch') or [float('nan')]
        out.append(f'| {name} | {label} | {start:.0f} | {100 * (start / first - 1):+.1f}% | {heap:.0f} | '
                   f'{start - heap:.0f} | {max(res):.0f} ({100 * (max(res) / start - 1):+.1f}%) | {after:.0f} '
                   f'({100 * (after / start - 1):+.1f}%) |')
    return out


def xmx_mib(provenance):
    m = re.search(r'-Xmx(\d+)([kKmMgG]?)', provenance or '')
    if not m:
        return None
    return int(m.group(1)) * {'g': 1024, 'm': 1, 'k': 1 / 1024, '': 1 / 1048576}[m.group(2).lower()]


def heap_split(name, m):
    """The undetached soak's resident set as committed heap + the rest, at each step of the committed heap."""
    res, out = m['resident_mib_by_epoch'], m['outside_heap_mib_by_epoch']
    heap = [r - o for r, o in zip(res, out)]
    w = max(m['warm_up_epochs'], 1)
    lines = []
    for e in range(w - 1, len(res)):
        if e == w - 1 or e == len(res) - 1 or abs(heap[e] - heap[e - 1]) >= 1:
            lines.append(f'| {name} | {e + 1} | {res[e]:.0f} | {heap[e]:.0f} | {out[e]:.0f} |')
    xmx = xmx_mib(m.get('provenance'))
    growth = (res[-1] - res[w - 1], heap[-1] - heap[w - 1], out[-1] - out[w - 1])
    most_outside = max(out[w - 1:])
    bound = (f' -Xmx caps the committed heap at {xmx:.0f} MiB, so while the rest stays at or below its largest after warm-up the resident set of this run stays under '
             f'{xmx:.0f} + {most_outside:.0f} (the most outside the heap after warm-up) = {xmx + most_outside:.0f} MiB.'
             if xmx else ' Its JVM options name no -Xmx, so no bound follows from them.')
    text = (f'{name}: from epoch {w} to epoch {len(res)} the resident set changed by {growth[0]:+.0f} MiB, the committed '
            f'Java heap by {growth[1]:+.0f} MiB and the rest by {growth[2]:+.0f} MiB; the committed heap changed only '
            f'at the epochs listed.{bound}')
    return lines, text


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: memory-summary.py NOTEBOOKS_EXPORT_DIR REPORT... (e.g. notebooks-export lstm soak-bi-rnn)')
    root = sys.argv[1]
    rows = []
    between = []
    between_text = []
    splits = []
    provenance = []
    for s in sys.argv[2:]:
        if not s.startswith('soak-'):
            name = f'`run {section_name(s)}`'
            metrics = json.load(open(os.path.join(root, s, 'metrics.json')))
            p = metrics.get('report')
            if isinstance(p, dict):
                provenance.append(f'- {name} (`{s}/`): {p.get("date")}, commit {p.get("commit")}, {p.get("machine")}; '
                                  f'`{p.get("command")}`')
            runs = [(k, v) for k, v in metrics.items() if k != 'report' and isinstance(v, dict)]
            for label, run in runs:
                res, out = run.get('resident_mib_by_epoch'), run.get('outside_heap_mib_by_epoch')
                if res and out and len(res) >= 20:
                    rows.append(row(name, label, res, out, len(res) // 10))
            if len(runs) > 1:
                rows_between = baselines(name, runs)
                between += rows_between
                if rows_between:
                    between_text.append(baseline_summary(name, runs))
            continue
        m = json.load(open(os.path.join(root, 'performance', s, 'metrics.json')))
        provenance.append(f'- `soak` (`performance/{s}/`): {m.get("provenance", "provenance not recorded")}')
        label = m['model'] + ('' if m['detached'] else ', not detached')
        rows.append(row(f'`soak` ({s[5:]})', label, m['resident_mib_by_epoch'], m['outside_heap_mib_by_epoch'],
                        m['warm_up_epochs'], not m['detached']))
        if not m['detached']:
            splits.append(heap_split(f'`soak` ({s[5:]})', m))
    print('# Memory of the language-model runs: resident set and memory outside the Java heap per epoch\n')
    commit = subprocess.run(['git', 'rev-parse', '--short=10', 'HEAD'], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(['git', 'status', '--porcelain', '--', 'src', 'pom.xml'], capture_output=True,
                           text=True).stdout.strip()
    print(f'- date: {datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")} (this summary; '
          'each run\'s own date is listed under the table)')
    print(f'- commit: {commit}{" + local changes" if dirty else ""} (this summary; each run\'s own commit is listed '
          'under the table)')
    print('- machine: each run\'s, listed under the table from its metrics.json')
    print('- command: `src/main/scripts/memory-summary.py ' + ' '.join(sys.argv[1:])
          + ' > notebooks-export/performance/memory/README.md`\n')
    print('Generated by `src/main/scripts/memory-summary.py` from the metrics.json of each section report (`run '
          '<section>`, 500 epochs; the exercises 100 epochs a run) and each soak report (`soak --report`, shorter runs where 500 epochs did not fit the '
          'time); each report states its command, and the soak reports their date, commit, machine and JVM options. '
          '"warm-up" is the epoch the comparison starts from: 10% of the epochs for a section, --warmup for a soak. '
          'Slopes are least-squares fits over the epochs after warm-up. "Outside the heap" is the resident set minus '
          'the committed Java heap (the last column: resident set minus that), so it rises as G1 touches committed heap pages for the first time and falls when G1 commits more than it touches.\n')
    print('Made with:\n\n```\nsrc/main/scripts/memory-summary.py ' + ' '.join(sys.argv[1:])
          + ' > notebooks-export/performance/memory/README.md\n```\n')
    print('| report | run | epochs | warm-up epoch | resident set, MiB: warm-up → last | last / warm-up | '
          'slope, MiB/epoch | max after warm-up, MiB | outside the heap, MiB: warm-up → last | last / warm-up | '
          'slope, MiB/epoch | committed Java heap, MiB: warm-up → last | issue 16 target |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        print(r)
    print('\nThe runs (date, commit, machine with its JVM options, command), from each report\'s metrics.json:\n')
    for p in provenance:
        print(p)
    if between:
        print('\n## Runs that share one JVM: each run from its own baseline\n')
        print('A section or exercise with several runs trains them one after the other in one JVM; each run gives '
              'back what it held when it ends. A run\'s baseline is the resident set when it started (ND4J\'s '
              'libraries loaded), split into the committed Java heap and the rest; its largest epoch and the resident '
              'set after it ended are given against that baseline.\n')
        print('| report | run | baseline, MiB | against the first run\'s baseline | committed heap at the baseline, MiB '
              '| rest at the baseline, MiB | largest epoch, MiB | after the run, MiB |')
        print('|---|---|---|---|---|---|---|---|')
        for r in between:
            print(r)
        for t in between_text:
            print('\n' + t)
    for lines, text in splits:
        print('\n## Without detaching: the committed Java heap against the rest\n')
        print('The resident set is the touched part of the committed Java heap plus everything outside it; "rest" is '
              'the resident set minus the committed heap, so it drops by whatever G1 commits before touching it. '
              'Epochs shown: the end of warm-up, every epoch at which the committed heap changed, and the last.\n')
        print('| report | epoch | resident set, MiB | committed Java heap, MiB | rest, MiB |')
        print('|---|---|---|---|---|')
        for line in lines:
            print(line)
        print('\n' + text)


if __name__ == '__main__':
    main()
