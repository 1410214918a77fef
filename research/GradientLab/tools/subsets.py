#!/usr/bin/env python3
"""Post hoc, not for tuning: the best that any subset of the current rules could do on the held-out units.

Reads the "Every unit" table of a generated results file (default: research/GradientLab/results/heldout-pooled-results.md),
scores every subset of the CGL1 warnings that fired (a unit is predicted when a warning of the subset fired on it)
on the held-out tasks (all but Adding), and prints the largest recall among the subsets whose precision is at
least 0.9, and the score of all the rules together. Used in validation.md's conclusion of round 2.
"""
import itertools, re, sys

path = sys.argv[1] if len(sys.argv) > 1 else 'research/GradientLab/results/heldout-pooled-results.md'
units = []
for line in open(path):
    if not line.startswith('| C'):
        continue
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) < 14:
        continue
    task, label, warnings = cells[9], cells[10], cells[12]
    fired = {w for w in re.sub(r'\(.*?\)', '', warnings).split() if w.startswith('CGL')}
    units.append((task, label != 'learned', fired))
held = [u for u in units if u[0] != 'Adding']
rules = sorted(set().union(*(u[2] for u in held)))

def score(subset):
    tp = sum(1 for _, positive, fired in held if positive and fired & subset)
    fp = sum(1 for _, positive, fired in held if not positive and fired & subset)
    fn = sum(1 for _, positive, fired in held if positive and not fired & subset)
    return (tp / (tp + fp) if tp + fp else 0.0), tp / (tp + fn)

best = max(((score(set(s))[1], score(set(s))[0], s) for k in range(len(rules) + 1) for s in itertools.combinations(rules, k)
            if score(set(s))[0] >= 0.9), default=None)
print(f'{len(held)} held-out units, {len(rules)} rules, {2 ** len(rules)} subsets')
print('all rules: precision {1:.2f}, recall {0:.2f}'.format(*score(set(rules))[::-1]))
if best:
    print(f'largest recall with precision >= 0.9: {best[0]:.2f} (precision {best[1]:.2f}), rules {" ".join(best[2])}')
