#!/usr/bin/env python3
"""Makes tests/data/fashion-mnist-5k-{images,labels}.npy.gz: a stratified 5,000-row subsample of Fashion-MNIST.

Input: the 70,000-row files fashion-mnist-images.npy (uint8, 70000 x 784) and fashion-mnist-labels.npy (uint8),
whose rows are already in a fixed random order. The subsample takes, for each class, its first 500 rows in that
order, and keeps them in the order they have in the full file (so classes stay interleaved). Output stays uint8 and
is gzipped with a fixed mtime, so running the script again gives byte-identical files.

Usage: scripts/fashion-subsample.py DATA_DIR OUT_DIR [PER_CLASS]
"""
import gzip
import io
import os
import sys

import numpy as np


def write_npy_gz(path, array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw:
        # mtime=0 and no file name in the header: the output depends on the data only.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(buffer.getvalue())
    os.replace(tmp, path)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1])
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    per_class = int(sys.argv[3]) if len(sys.argv) == 4 else 500
    images = np.load(os.path.join(data_dir, "fashion-mnist-images.npy"))
    labels = np.load(os.path.join(data_dir, "fashion-mnist-labels.npy"))
    if images.dtype != np.uint8 or images.shape != (labels.shape[0], 784):
        sys.exit(f"expected uint8 images of 784 columns, one per label; got {images.dtype} {images.shape}")
    rows = np.sort(np.concatenate([np.flatnonzero(labels == c)[:per_class] for c in range(10)]))
    write_npy_gz(os.path.join(out_dir, "fashion-mnist-5k-images.npy.gz"), np.ascontiguousarray(images[rows]))
    write_npy_gz(os.path.join(out_dir, "fashion-mnist-5k-labels.npy.gz"), np.ascontiguousarray(labels[rows]))
    print(f"{len(rows)} rows, {per_class} per class, last source row {rows[-1]}")


if __name__ == "__main__":
    main()
