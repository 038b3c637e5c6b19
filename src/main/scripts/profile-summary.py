#!/usr/bin/env python3
"""Where the training time goes: reads `jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample` output
(stdin) and attributes every sample of the training thread to the component that called into it (the first
known frame from the leaf up), split by whether the thread was in native code (ND4J/OpenBLAS kernels) or in Java.

Usage: jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 96 rec.jfr | profile-summary.py
"""
import collections
import re
import sys

# first match from the leaf up decides; order matters (specific before generic)
COMPONENTS = [
    ('gradient clipping (GradientNormalizer)', r'org\.d2l\.rnn\.train\.GradientNormalizer'),
    ('our recurrent kernels (RnnKernel/GruKernel/LstmKernel, Blas, StepMath)', r'org\.d2l\.rnn\.nn\.(\w*Kernel|Blas|\w*StepMath|HostBuffers)'),
    ('our layer glue (StatefulLstm/StatefulSimpleRnn/FastGru)', r'org\.d2l\.rnn\.nn\.'),
    ('SameDiff (scratch models)', r'org\.nd4j\.autodiff\.samediff'),
    ('DL4J LSTM (LSTMHelpers)', r'org\.deeplearning4j\.nn\.layers\.recurrent\.LSTMHelpers'),
    ('DL4J SimpleRnn', r'org\.deeplearning4j\.nn\.layers\.recurrent\.SimpleRnn'),
    ('DL4J Bidirectional wrapper', r'org\.deeplearning4j\.nn\.layers\.recurrent\.BidirectionalLayer'),
    ('output layer + softmax cross-entropy', r'org\.deeplearning4j\.nn\.layers\.(recurrent\.RnnOutputLayer|BaseOutputLayer)|org\.nd4j\.linalg\.lossfunctions'),
    ('embedding / dense layers', r'org\.deeplearning4j\.nn\.layers\.(feedforward|EmbeddingSequence)'),
    ('updater (SGD/Adam step)', r'org\.deeplearning4j\.nn\.updater|org\.nd4j\.linalg\.learning'),
    ('data pipeline (iterator, one-hot)', r'org\.d2l\.rnn\.datavec|org\.datavec'),
    ('ComputationGraph plumbing (workspaces, vertices, TBPTT)', r'org\.deeplearning4j\.nn\.graph|org\.deeplearning4j\.nn\.workspace|org\.nd4j\.linalg\.api\.memory'),
    ('benchmark harness', r'org\.d2l\.rnn\.bench'),
]


# the timed training steps of `bench` (and of real runs: the Trainer)
TRAINING = r'org\.d2l\.rnn\.bench\.TrainingBenchmark|org\.d2l\.rnn\.train\.Trainer'


def samples(lines):
    kind, thread, stack, in_stack = None, None, [], False
    for line in lines:
        s = line.strip()
        if s.startswith('jdk.ExecutionSample') or s.startswith('jdk.NativeMethodSample'):
            kind, thread, stack, in_stack = s.split()[0], None, [], False
        elif s.startswith('sampledThread'):
            thread = s.split('=', 1)[1].strip()
        elif s.startswith('stackTrace = ['):
            in_stack = True
        elif in_stack and s == ']':
            in_stack = False
        elif in_stack and s and s != '...':
            stack.append(s)
        elif s == '}' and kind:
            yield kind, thread, stack
            kind = None


def main():
    by_component = collections.Counter()
    native_leaf = collections.Counter()
    total = 0
    for kind, thread, stack in samples(sys.stdin):
        if not any(re.search(TRAINING, f) for f in stack):
            continue  # start-up, class loading, the other measurements of bench
        native = kind == 'jdk.NativeMethodSample'
        component = 'other'
        for f in stack:  # leaf first: the innermost known caller wins
            hit = next((name for name, rx in COMPONENTS if re.search(rx, f)), None)
            if hit:
                component = hit
                break
        by_component[(component, 'native' if native else 'java')] += 1
        if native:
            native_leaf[re.sub(r'\(.*', '', stack[0])] += 1
        total += 1
    if total == 0:
        sys.exit('no samples of the training thread')
    names = sorted({c for c, _ in by_component}, key=lambda c: -(by_component[(c, 'native')] + by_component[(c, 'java')]))
    print('| component (first known caller from the leaf) | share | in native kernels | in Java |')
    print('|---|---|---|---|')
    for c in names:
        n, j = by_component[(c, 'native')], by_component[(c, 'java')]
        print(f'| {c} | {100 * (n + j) / total:.1f}% | {100 * n / total:.1f}% | {100 * j / total:.1f}% |')
    print(f'\n{total} samples. Top native methods:\n')
    for m, n in native_leaf.most_common(6):
        print(f'- `{m}`: {100 * n / total:.1f}%')


if __name__ == '__main__':
    main()
