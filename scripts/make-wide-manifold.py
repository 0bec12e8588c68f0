#!/usr/bin/env python3
"""The wide scale-benchmark set of docs/scaling.md section 4 (1M x 784, 3.1 GB).

usage: make-wide-manifold.py IMAGES.npy LABELS.npy NEIGHBOURS.npy N OUT_PREFIX

Fashion-MNIST pixels (scaled to 0..1) grown SMOTE-style to N rows along their own 10-NN graph, as the shared
make_manifold.py does in PCA space, but keeping all 784 columns: a random source row, one of its neighbours, a uniform
point on the segment between them, plus Gaussian noise of 5 % of the segment's length. NEIGHBOURS.npy comes from
`cne knn IMAGES.npy --k 10 -o NEIGHBOURS.npy`. Rows are written chunk by chunk into a memory-mapped .npy, so the
script needs little more memory than the 70,000 source rows. Needs numpy (apt-get install python3-numpy).
"""
import sys, numpy as np
y = np.load(sys.argv[2]).astype(np.int32)
x = np.load(sys.argv[1]).reshape(len(y), -1).astype(np.float32) / 255.0
nbrs = np.load(sys.argv[3])
n, out = int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(0)
d = x.shape[1]
ox = np.lib.format.open_memmap(out + "-images.npy", mode="w+", dtype=np.float32, shape=(n, d))
oy = np.empty(n, np.int32)
step = 1 << 16
for s in range(0, n, step):
    m = min(step, n - s)
    src = rng.integers(0, len(x), m)
    dst = nbrs[src, rng.integers(0, nbrs.shape[1], m)]
    t = rng.random((m, 1), dtype=np.float32)
    seg = x[dst] - x[src]
    noise = rng.standard_normal((m, d), dtype=np.float32) * (0.05 * np.linalg.norm(seg, axis=1, keepdims=True) / np.sqrt(d))
    ox[s:s + m] = x[src] + t * seg + noise
    oy[s:s + m] = y[src]
ox.flush(); del ox
np.save(out + "-labels.npy", oy)
print("wrote", out, n, d)
