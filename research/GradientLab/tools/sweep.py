#!/usr/bin/env python3
"""Threshold sweep on the tuning task (adding) only, for the rule changes considered in validation.md.

Reads research/GradientLab/results/validation-runs.csv, forms majority labels per (configuration, task), emulates candidate
rules from the configuration's fields, and prints precision/recall/F1 on the adding problem for each candidate.
It never reads the held-out tasks unless --held-out is given (used once, after the choice, for the report).
"""
import csv, math, sys, itertools, collections

path = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else 'research/GradientLab/results/validation-runs.csv'
held_out = '--held-out' in sys.argv
rows = list(csv.DictReader(open(path)))
units = collections.OrderedDict()
for r in rows:
    units.setdefault((r['config'], r['task']), []).append(r)

def majority(labels):
    e = labels.count('exploded'); f = labels.count('failed')
    if 2 * (e + f) <= len(labels): return 'learned'
    return 'exploded' if e > f else 'failed'

U = []
for (cfg, task), rs in units.items():
    r = rs[0]
    U.append(dict(config=cfg, task=task, origin=r['origin'], cell=r['cell'], T=int(r['T']), H=int(r['hidden']), depth=int(r['depth']),
                  residual=r['residual'] == '1', init=r['init'], gain=float(r['gain']), fb=float(r['forget_bias']), clipping=r['clipping'],
                  clip=float(r['clip']), opt=r['optimizer'], lr=float(r['lr']), label=majority([x['label'] for x in rs]),
                  warn={d.split(':')[0] for d in r['diagnostics'].split() if d.endswith(':W')},
                  info={d.split(':')[0] for d in r['diagnostics'].split() if d.endswith(':I')}))

def horizon(fb):
    keep = 1 / (1 + math.exp(-fb))
    return -1 / math.log(keep)

def scores(units, pred):
    tp = sum(1 for u in units if pred(u) and u['label'] != 'learned')
    fp = sum(1 for u in units if pred(u) and u['label'] == 'learned')
    fn = sum(1 for u in units if not pred(u) and u['label'] != 'learned')
    p = tp / (tp + fp) if tp + fp else float('nan'); r = tp / (tp + fn) if tp + fn else float('nan')
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float('nan')
    return p, r, f, tp, fp, fn

tune = [u for u in U if u['task'] == 'Adding']
held = [u for u in U if u['task'] != 'Adding']
controls = [u for u in U if u['origin'].startswith('control')]

def report(name, pred):
    p, r, f, tp, fp, fn = scores(tune, pred)
    silent = not any(pred(u) for u in controls)
    line = f'{name:60s} adding P={p:.2f} R={r:.2f} F1={f:.2f} tp={tp} fp={fp} fn={fn} controls-silent={silent}'
    if held_out:
        p2, r2, f2, *_ = scores(held, pred)
        line += f' | held-out P={p2:.2f} R={r2:.2f} F1={f2:.2f}'
    print(line)

base = lambda u: bool(u['warn'])
report('rules as run (any warning)', base)
for rule in sorted({w for u in U for w in u['warn']}):
    report(f'  {rule} alone', lambda u, rule=rule: rule in u['warn'])
print()
for k in [15, 20, 25.1, 30, 40, 50, 63, 80, 100]:
    report(f'+ LSTM T > {k} horizons', lambda u, k=k: base(u) or (u['cell'] == 'Lstm' and u['fb'] >= 0.5 and u['T'] > k * horizon(u['fb'])))
for L in [20, 25, 30, 40, 50]:
    report(f'+ tanh/sigmoid RNN T >= {L}', lambda u, L=L: base(u) or (u['cell'] in ('RnnTanh', 'RnnSigmoid') and u['T'] >= L))
for G in [50, 100, 150, 201]:
    report(f'+ GRU T >= {G}', lambda u, G=G: base(u) or (u['cell'] == 'Gru' and u['T'] >= G))
for X in [50, 100, 150, 201]:
    report(f'+ any cell T >= {X}', lambda u, X=X: base(u) or u['T'] >= X)

print()
print('Candidate severity changes (Info -> Warning) and the horizon threshold, on the tuning task:')
info = lambda rule: (lambda u: base(u) or rule in u['info'])
report('+ CGL1002 as a warning', info('CGL1002'))
report('+ CGL1010 as a warning', info('CGL1010'))
for k in [64, 100]:
    report(f'+ CGL1012 as a warning at {k} horizons', lambda u, k=k: base(u) or (u['cell'] == 'Lstm' and u['fb'] >= 0.5 and u['T'] > k * horizon(u['fb'])))
combined = lambda u: base(u) or 'CGL1002' in u['info'] or 'CGL1010' in u['info'] or (u['cell'] == 'Lstm' and u['fb'] >= 0.5 and u['T'] > 64 * horizon(u['fb']))
report('+ all three (CGL1002, CGL1010 warnings; CGL1012 warning at 64)', combined)
for d in [5, 6]:
    report(f'  ... and CGL1014 from more than {d} layers', lambda u, d=d: (combined(u) and not (u['warn'] == {'CGL1014'} and not u['info'] & {'CGL1002', 'CGL1010'} and u['depth'] - (u['depth'] - 1 if u['residual'] else 0) <= d)))
report('reference: flag everything', lambda u: True)
