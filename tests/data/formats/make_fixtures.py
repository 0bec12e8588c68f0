#!/usr/bin/python3
"""Writes the small fixtures that the format tests read, with the real tools (numpy, anndata, h5py).

Run from anywhere with Debian's python3 (apt-get install -y python3-anndata):
    /usr/bin/python3 tests/data/formats/make_fixtures.py [path/to/fashion-mnist-images.npy path/to/fashion-mnist-labels.npy]
The Fashion-MNIST arrays default to ../shared/data beside the repository. Outputs are deterministic (seeded).
"""
import gzip
import os
import struct
import sys

import anndata
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(os.path.dirname(here)))
shared = os.path.join(os.path.dirname(repo), "shared", "data")
images_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(shared, "fashion-mnist-images.npy")
labels_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(shared, "fashion-mnist-labels.npy")
out = lambda name: os.path.join(here, name)
rng = np.random.default_rng(20)

# --- AnnData -------------------------------------------------------------------------------------------------
n, genes = 60, 20
counts = rng.poisson(1.5, size=(n, genes)).astype(np.float32)
counts[counts < 1] = 0  # about a third zeros, as counts are
types = np.array(["B cell", "T cell", "monocyte"])[rng.integers(0, 3, size=n)]
obs = pd.DataFrame({
    "cell_type": pd.Categorical(types, categories=["B cell", "T cell", "monocyte"]),
    "batch": rng.integers(0, 2, size=n).astype(np.int64),
}, index=[f"cell{i:03d}" for i in range(n)])
var = pd.DataFrame(index=[f"gene{j:02d}" for j in range(genes)])
pca = (counts - counts.mean(0)) @ rng.normal(size=(genes, 5)).astype(np.float32)

dense = anndata.AnnData(X=counts.copy(), obs=obs, var=var)
dense.obsm["X_pca"] = pca.astype(np.float32)
dense.layers["counts"] = sp.csr_matrix(counts.astype(np.float64))
dense.write_h5ad(out("cells-dense.h5ad"))

csr = anndata.AnnData(X=sp.csr_matrix(counts), obs=obs, var=var)
csr.obsm["X_pca"] = pca.astype(np.float32)
csr.write_h5ad(out("cells-csr.h5ad"))

csc = anndata.AnnData(X=sp.csc_matrix(counts), obs=obs, var=var)
csc.write_h5ad(out("cells-csc.h5ad"))

# Expected values, written by numpy: the dense counts, the PCA and the category codes.
np.save(out("cells-X.npy"), counts)
np.save(out("cells-pca.npy"), pca.astype(np.float32))
np.save(out("cells-celltype-codes.npy"), obs["cell_type"].cat.codes.to_numpy().astype(np.int32))

# Bad files: a CSR matrix whose column index is out of range, and a NaN in obsm.
bad = anndata.AnnData(X=sp.csr_matrix(counts), obs=obs, var=var)
bad.obsm["X_pca"] = pca.astype(np.float32)
bad.obsm["X_pca"][7, 3] = np.nan
bad.obsm["meta"] = pd.DataFrame({"depth": np.arange(n, dtype=np.float64)}, index=obs.index)  # not an array
bad.obs["size"] = rng.normal(size=n)  # a float column: not labels
bad.write_h5ad(out("cells-bad.h5ad"))
with h5py.File(out("cells-bad.h5ad"), "r+") as f:
    indices = f["X/indices"][...]
    indices[5] = genes + 3
    f["X/indices"][...] = indices

# --- Fashion-MNIST, 100 rows, in every core format -----------------------------------------------------------
images = np.load(images_path, mmap_mode="r")[:100].reshape(100, 28, 28).astype(np.uint8)
labels = np.load(labels_path)[:100].astype(np.uint8)

def idx(path, array, code, opener=open):
    with opener(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, code, array.ndim))
        f.write(struct.pack(">" + "I" * array.ndim, *array.shape))
        f.write(array.astype(array.dtype.newbyteorder(">")).tobytes())

idx(out("fmnist100-images-idx3-ubyte.gz"), images, 0x08, gzip.open)
idx(out("fmnist100-images-idx3-ubyte"), images, 0x08)
idx(out("fmnist100-labels-idx1-ubyte"), labels, 0x08)
idx(out("fmnist10-float-idx3-ubyte"), images[:10].astype(np.float32) / 255, 0x0D)
np.save(out("fmnist100-images-3d.npy"), images)  # N × 28 × 28
np.save(out("fmnist100-images.npy"), images.reshape(100, 784))
np.savetxt(out("fmnist100-images.csv"), images.reshape(100, 784), fmt="%d", delimiter=",",
           header=",".join(f"p{j}" for j in range(784)), comments="")
np.save(out("fmnist100-labels.npy"), labels.astype(np.int64))
np.savez(out("fmnist100.npz"), images=images, labels=labels)
np.savez_compressed(out("fmnist100-compressed.npz"), images=images, labels=labels)
np.save(out("rgb-nhwc.npy"), rng.integers(0, 256, size=(4, 5, 6, 3)).astype(np.uint8))
print("fixtures written to", here)
