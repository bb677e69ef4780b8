#!/usr/bin/env python3
"""Fits JitMethodSize's coefficients (src/NnGen.Generator/Common/JitMethodSize.cs) to MethodSizeSurvey's files.

    apt-get install python3-scipy
    NNGEN_METHOD_SIZE_SURVEY='/tmp/s1.csv;12345;200' dotnet test tests/NnGen.PropertyTests -c Release --filter MethodSizeSurvey
    (the same with seeds 777 and 4242)
    /usr/bin/python3 benchmarks/method-sizes/fit.py /tmp/s1.csv /tmp/s2.csv /tmp/s3.csv

Each member's estimate is linear in what the emitter writes, plus 2 instructions per access to a local past slot 254
(Roslyn writes ldloc/stloc there with a four-byte index, read by the JIT as the index and two nops). The nops are
modelled here as in JitMethodSize.LongFormAccesses; the linear part is the tightest upper bound of the rest, by linear
programming, over members of at most 36,000 instructions. The script prints the coefficients in JitMethodSize's order
and what the estimate, with its margin, makes of the members surveyed; with --current first it fits nothing and shows
what the coefficients in JitMethodSize.cs make of them. Nothing in CI runs it.
"""
import collections
import math
import pathlib
import re
import sys

import numpy as np
from scipy.optimize import linprog

BOUNDED_UP_TO = 36_000
LIMIT = 20_000
MARGIN, MARGIN_INSTRUCTIONS = 1.03, 50
LEADING_LOCALS, SHORT_FORM_SLOTS = 8, 255
MEMBERS = {'Forward/2': 'Forward', 'Loss/2': 'Forward', 'Loss/3': 'Forward', 'Accumulate/2': 'Accumulate',
           'Accumulate/3': 'InputGradient', 'BackpropagateGradient/5': 'InputGradient'}
ACTIVATIONS = ['Identity', 'Logistic', 'Tanh', 'Relu', 'Elu', 'Softmax']      # ActivationKind's order
COSTS = ['SquaredError', 'HalfSquaredError', 'MeanSquaredError', 'CrossEntropy', 'BinaryCrossEntropy']  # CostKind's
KEYS = (['base', 'first_layer_weight', 'later_weight', 'weight_reading_span', 'input', 'partial_sum', 'vectorized_layer',
         'next_to_vectorized'] + ['hidden_' + a for a in ACTIVATIONS[:5]] + ['output_' + a for a in ACTIVATIONS]
        + ['cost_' + c for c in COSTS] + ['softmax_binary'])


def partial_sums(fan_in):
    return 8 if fan_in >= 32 else 4 if fan_in >= 16 else 1     # ForwardEmitter.PartialSums


def cost_groups(member, outputs, softmax, cost, unrolled):
    """The cost's locals (CostEmitter), in the order it declares them, with how often each is read or written: Loss's
    for Forward (whose estimate bounds Loss too), with δ(L)'s for the training members. Per-output locals only where
    the output layer is unrolled (a vectorised one keeps them in spans)."""
    k, trains = (outputs if unrolled else 0), member != 'Forward'
    squared = cost in ('SquaredError', 'HalfSquaredError', 'MeanSquaredError')
    groups = []
    if squared or (trains and cost == 'BinaryCrossEntropy' and not softmax):
        groups.append((k, (3 if squared else 1) + (1 if trains else 0)))      # r = a − t
    if softmax and cost == 'BinaryCrossEntropy':
        # ln s, the running maximum and m', f, Σf, O, the log-likelihood and the loss; with δ(L): Σt, u, Σu, Σv.
        groups += [(1, 2 * outputs + 2), (1, 2 * outputs + 1), (1, 3 * outputs + 2), (k, 3 if trains else 2), (1, 2),
                   (1, (2 if trains else 1) * outputs + 2), (2, 2)]
        if trains:
            groups += [(1, outputs + 1), (k, 3), (1, outputs + 1), (1, outputs + 1)]
    elif softmax and cost == 'CrossEntropy':
        groups += [(1, outputs + 2), (2, 2)] + ([(1, outputs + 1)] if trains else [])
    else:
        groups.append((2, 2))
        if trains and softmax:
            groups += [(k, 3), (1, outputs + 1)]                              # g = ∇a C and Σ a g
    if member == 'InputGradient' and softmax:                                 # its Jacobian product, kept apart
        groups += [(k, 2), (1 if unrolled else 0, outputs + 1)]
    return groups


def softmax_reads(member, outputs, cost):
    """What the cost reads of a softmax output's m and s, each once per output and term."""
    trains = member != 'Forward'
    if cost == 'BinaryCrossEntropy':
        return (5 if trains else 2) * outputs, (3 if trains else 1) * outputs
    return (outputs if cost == 'CrossEntropy' else 0), 0


def long_form_accesses(member, inputs, sizes, activations, cost, vectorized):
    layers, trains = len(sizes), member != 'Forward'
    t = 2 if trains else 1
    groups = [(LEADING_LOCALS, 0), (0 if vectorized[0] else inputs, t * sizes[0] + 1)]
    for i, size in enumerate(sizes):
        fan_in = inputs if i == 0 else sizes[i - 1]
        fan_out = sizes[i + 1] if i + 1 < layers else 0
        if vectorized[i]:
            groups.append((6, (t * size * fan_out if fan_out and not vectorized[i + 1] else 0) + 20))
            continue
        if partial_sums(fan_in) > 1:
            groups.append((partial_sums(fan_in), 2 * size))
        groups.append((size, 4))
        if activations[i] == 'Softmax':
            m, s = softmax_reads(member, size, cost) if i == layers - 1 else (0, 0)
            groups += [(1, 3 * size + m), (size, 4 if i == layers - 1 else 2), (1, size + 1 + s)]
        groups.append((size, t * fan_out + 3 if fan_out else 4))
        if activations[i] == 'Tanh' and size % 4:
            groups.append((4 - size % 4, 0))
    unrolled_output = not vectorized[-1]
    outputs, softmax = sizes[-1], activations[-1] == 'Softmax'
    groups += cost_groups(member, outputs, softmax, cost, unrolled_output)
    if trains:
        for i in range(layers - 1, -1, -1):
            if not vectorized[i]:
                fan_in = inputs if i == 0 else sizes[i - 1]
                groups.append((sizes[i], 2 + fan_in + (fan_in if i > 0 else 0) + (inputs if i == 0 and member == 'InputGradient' else 0)))
    slot = accesses = 0
    for count, each in groups:
        past = max(0, slot + count - SHORT_FORM_SLOTS) - max(0, slot - SHORT_FORM_SLOTS)
        accesses += min(count, past) * each
        slot += count
    return accesses


def features(inputs, sizes, activations, cost, vectorized):
    f = dict.fromkeys(KEYS, 0)
    f['base'] = 1
    fan_in, last = inputs, len(sizes) - 1
    for i, size in enumerate(sizes):
        if vectorized[i]:
            f['vectorized_layer'] += 1
        else:
            weights = fan_in * size
            if i == 0:
                f['first_layer_weight'] += weights
                f['input'] += fan_in
            else:
                f['later_weight'] += weights
            if i > 0 and vectorized[i - 1]:
                f['weight_reading_span'] += weights
            if partial_sums(fan_in) > 1:
                f['partial_sum'] += partial_sums(fan_in) * size
            if i == last:
                f['output_' + activations[i]] += size
                f['cost_' + cost] += size
                if activations[i] == 'Softmax' and cost == 'BinaryCrossEntropy':   # its own loss and δ(L)
                    f['softmax_binary'] += size
            elif activations[i] == 'Softmax':       # JitMethodSize counts a hidden softmax as an output one
                f['output_Softmax'] += size
                f['cost_CrossEntropy'] += size
            else:
                f['hidden_' + activations[i]] += size
            if (i > 0 and vectorized[i - 1]) or (i < last and vectorized[i + 1]):
                f['next_to_vectorized'] += size
        fan_in = size
    return [f[k] for k in KEYS]


def load(files):
    """Each member's features and counts. A network whose members were split between layers (Planning.MemberSplit: a
    local function per run, '<Accumulate>g__AccumulateFromLayer3|31_0/101') is left out: its member's own method is
    only the first run, which the whole member's estimate does not describe (MethodSizeProperties checks each run)."""
    rows = [line.strip().split('|') for name in files for line in open(name)]
    split = {tuple(r[:5] + [r[-1]]) for r in rows if 'g__' in r[5]}
    data = collections.defaultdict(list)
    for r in rows:
        if r[5] not in MEMBERS or tuple(r[:5] + [r[-1]]) in split:
            continue
        member, inputs, sizes = MEMBERS[r[5]], int(r[0]), [int(s) for s in r[1].split(',')]
        activations, vectorized = r[2].split(';')[0].split(','), [v == '1' for v in r[9].split(',')]
        data[member].append((features(inputs, sizes, activations, r[3], vectorized), int(r[6]), int(r[8]),
                             long_form_accesses(member, inputs, sizes, activations, r[3], vectorized), tuple(r[:5] + [r[9]])))
    return data


def current_coefficients(member):
    """The coefficients JitMethodSize.cs holds now, in KEYS' order (its MemberCosts record has the same order)."""
    source = open(pathlib.Path(__file__).resolve().parents[2] / 'src/NnGen.Generator/Common/JitMethodSize.cs').read()
    declaration = re.search(r'MemberCosts ' + member + r' = new\((.*?)\);', source, re.S).group(1)
    return np.array([float(v) for v in re.findall(r'-?\d+(?:\.\d+)?', declaration)])


def main(files):
    current = files[:1] == ['--current']
    data = load(files[1:] if current else files)
    largest = collections.defaultdict(lambda: [0, 0])
    for member in ['Forward', 'Accumulate', 'InputGradient']:
        rows = [x for x in data[member] if x[1] <= BOUNDED_UP_TO]
        x = np.array([r[0] for r in rows], float)
        y = np.array([r[1] - 2 * r[3] for r in rows], float)
        if current:
            coefficients = current_coefficients(member)
        else:
            fit = linprog(c=x.sum(0), A_ub=-x, b_ub=-y, bounds=[(0, None)] * len(KEYS), method='highs')
            coefficients = np.ceil(fit.x * 4) / 4
        print(member + ':', ', '.join(f'{k} {v:g}' for k, v in zip(KEYS, coefficients)))
        ratios, group = [], {}
        for f, real, nops, accesses, net in data[member]:
            estimate = math.ceil(np.dot(f, coefficients) * MARGIN + MARGIN_INSTRUCTIONS) + 2 * accesses
            if real <= BOUNDED_UP_TO:
                ratios.append(estimate / real)
                group[net] = max(group.get(net, (0, 0)), (real, estimate))
                if estimate < real:
                    print('  below the real count:', real, estimate, net)
            largest[net][0] = max(largest[net][0], real)
            largest[net][1] = max(largest[net][1], estimate)
        # How tight it is where that decides something: against the largest method it bounds (Loss rather than Forward,
        # Accumulate(…, inputGradient) rather than BackpropagateGradient), as MethodSizeProperties checks it.
        large = [(e / r, r, e, net) for net, (r, e) in group.items() if r >= 10_000]
        print(f'  {len(ratios)} members up to {BOUNDED_UP_TO}: estimate / real count {np.mean(ratios):.3f} on average, {max(ratios):.3f} at most')
        if large:
            worst = max(large)
            print(f'  {len(large)} of them from 10,000 on: {np.mean([r[0] for r in large]):.3f} on average, {worst[0]:.3f} at most '
                  f'({worst[1]} instructions estimated at {worst[2]}: {worst[3]})')
    unrolled = [v for net, v in largest.items() if '1' not in net[5]]
    print(f'{len(unrolled)} networks unrolled: {sum(1 for r, e in unrolled if r > LIMIT)} past the limit, '
          f'{sum(1 for r, e in unrolled if r > LIMIT and e <= LIMIT)} of them not warned; '
          f'{sum(1 for r, e in unrolled if r <= LIMIT and e > LIMIT)} within it and warned')


if __name__ == '__main__':
    main(sys.argv[1:])
