#!/usr/bin/python3
"""Times umap-learn's transform of held-out rows into a fitted map, for the `transform` benchmark (issue 19).

Usage: /usr/bin/python3 bench/peers/umap_learn_transform.py DATA.npy --train N --test M [--threads T] [--seed S]
       --out-train TRAIN.npy --out-test TEST.npy

Fits umap-learn (default settings) on the first N rows of DATA.npy, then places the last M rows with
UMAP.transform. Writes the training embedding and the placed rows as .npy (written to a temporary name and
renamed), so the benchmark scores them with the same 10-NN classifier as ours. Prints one JSON line:
{"peer": "umap-learn", "version", "train", "test", "threads", "seeded", "seconds": transform seconds,
 "phases": {"import", "fit", "transform"}}. The thread count goes to numba through NUMBA_NUM_THREADS, set before
numba is imported.
"""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--train", type=int, required=True)
parser.add_argument("--test", type=int, required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seed", type=int, default=None)
parser.add_argument("--out-train", required=True)
parser.add_argument("--out-test", required=True)
args = parser.parse_args()
os.environ["NUMBA_NUM_THREADS"] = str(args.threads)

start = time.perf_counter()
import numpy as np  # noqa: E402
import umap  # noqa: E402
imported = time.perf_counter() - start

data = np.load(args.data)
if args.train + args.test > data.shape[0]:
    sys.exit(f"{args.data}: {data.shape[0]} rows, fewer than --train {args.train} + --test {args.test}")
train = np.ascontiguousarray(data[: args.train], dtype=np.float32)
test = np.ascontiguousarray(data[data.shape[0] - args.test:], dtype=np.float32)

start = time.perf_counter()
model = umap.UMAP(random_state=args.seed).fit(train)
fit = time.perf_counter() - start
start = time.perf_counter()
placed = model.transform(test)
transform = time.perf_counter() - start


def save(path, values):
    tmp = path + ".tmp.npy"
    np.save(tmp, np.asarray(values, dtype=np.float32))
    os.replace(tmp, path)


save(args.out_train, model.embedding_)
save(args.out_test, placed)
print(json.dumps({
    "peer": "umap-learn", "version": getattr(umap, "__version__", "?"), "train": int(train.shape[0]),
    "test": int(test.shape[0]), "threads": args.threads, "seeded": args.seed is not None,
    "seconds": round(transform, 3),
    "phases": {"import": round(imported, 3), "fit": round(fit, 3), "transform": round(transform, 3)},
}))
sys.stdout.flush()
