#!/usr/bin/python3
"""Times umap-learn on the first --n rows of a shared .npy data set, for same-run ratios (issue 17).

Usage: /usr/bin/python3 bench/peers/umap_learn_timer.py DATA.npy [--n N] [--threads T] [--seed S] [--out EMB.npy]

Prints one JSON line: {"peer": "umap-learn", "version", "n", "threads", "seeded", "seconds", "phases": {"import", "fit"}}.
"seconds" is the whole fit_transform (kNN graph, fuzzy set, spectral initialisation, 200 epochs at n > 10,000), the
part a user waits for once Python and the data are loaded. The thread count goes to numba through
NUMBA_NUM_THREADS, which must be set before numba is imported, so it is set here first. With --seed the run is
seeded (umap-learn then runs its epochs on one thread, as it documents); without, it is unseeded and parallel.
--out writes the embedding, so `cne evaluate` can score it with the same metrics as ours.
"""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--n", type=int, default=None)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seed", type=int, default=None)
parser.add_argument("--out", default=None)
args = parser.parse_args()
os.environ["NUMBA_NUM_THREADS"] = str(args.threads)

start = time.perf_counter()
import numpy as np  # noqa: E402
import umap  # noqa: E402
imported = time.perf_counter() - start

data = np.load(args.data)
if args.n is not None:
    data = data[: args.n]
data = np.ascontiguousarray(data, dtype=np.float32)

start = time.perf_counter()
embedding = umap.UMAP(random_state=args.seed).fit_transform(data)
fit = time.perf_counter() - start

if args.out:
    tmp = args.out + ".tmp.npy"
    np.save(tmp, embedding.astype(np.float32))
    os.replace(tmp, args.out)
print(json.dumps({
    "peer": "umap-learn", "version": getattr(umap, "__version__", "?"), "n": int(data.shape[0]),
    "threads": args.threads, "seeded": args.seed is not None, "seconds": round(fit, 3),
    "phases": {"import": round(imported, 3), "fit": round(fit, 3)},
}))
sys.stdout.flush()
