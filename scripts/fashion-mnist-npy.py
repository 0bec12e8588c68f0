#!/usr/bin/env python3
"""Makes the benchmarks' fashion-mnist-images.npy and fashion-mnist-labels.npy from the Fashion-MNIST IDX files.

Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each
gzipped or not) from IDX_DIR, puts the 60,000 training and 10,000 test rows together, shuffles them with a fixed
seed (so the first N rows are a fair sample of any size) and writes uint8 arrays of 70000 x 784 and 70000 to OUT_DIR.

    scripts/fashion-mnist-npy.py /usr/share/datasets/fashion-mnist ~/cne-data   # Debian: dataset-fashion-mnist

Needs Python 3 with NumPy.
"""
import gzip
import os
import sys

import numpy as np


def read_idx(folder, stem, dims):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                raw = f.read()
            magic = int.from_bytes(raw[:4], "big")
            if magic != 0x0800 + dims:
                sys.exit(f"{path}: not an unsigned-byte IDX file of {dims} dimensions (magic {magic:#x})")
            shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            data = np.frombuffer(raw, np.uint8, offset=4 + 4 * dims)
            if data.size != np.prod(shape):
                sys.exit(f"{path}: holds {data.size} bytes for a shape of {shape}")
            return data.reshape(shape[0], -1) if dims > 1 else data
    sys.exit(f"{os.path.join(folder, stem)}(.gz) is missing")


def save(path, array):
    tmp = path + ".tmp.npy"
    np.save(tmp, array, allow_pickle=False)
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/fashion-mnist-npy.py IDX_DIR OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    images = np.concatenate([read_idx(src, "train-images-idx3-ubyte", 3), read_idx(src, "t10k-images-idx3-ubyte", 3)])
    labels = np.concatenate([read_idx(src, "train-labels-idx1-ubyte", 1), read_idx(src, "t10k-labels-idx1-ubyte", 1)])
    if images.shape != (labels.shape[0], 784):
        sys.exit(f"expected 784-pixel images with one label each; got {images.shape} and {labels.shape}")
    order = np.random.default_rng(0).permutation(len(labels))
    os.makedirs(out, exist_ok=True)
    save(os.path.join(out, "fashion-mnist-images.npy"), np.ascontiguousarray(images[order]))
    save(os.path.join(out, "fashion-mnist-labels.npy"), np.ascontiguousarray(labels[order]))
    print(f"wrote {len(labels)} rows to {out}")


if __name__ == "__main__":
    main()
