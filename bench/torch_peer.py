#!/usr/bin/python3
"""The PyTorch side of bench/run.sh: same data, normalisation, models, batch size, optimizer and thread count as
FTLPortal.Benchmarks. Prints one "name value" line per figure, prefixed torch_ (numpy's SGEMM as openblas_)."""
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn

THREADS = int(os.environ.get("FTL_THREADS", "2"))
MEAN, STD = 0.2860, 0.3530
BATCH = 128
LR = 1e-3


def emit(name, value):
    print(f"{name} {value:.3f}".rstrip("0").rstrip("."), flush=True)


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder, split):
    x = idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy((x - MEAN) / STD).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def sgemm(n=1024):
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
    warm = time.perf_counter()
    while time.perf_counter() - warm < 1.0:  # warm up for a second, as on our side
        a @ b
    best = min(timed(lambda: a @ b) for _ in range(20))
    emit(f"openblas_sgemm_{n}_gflops", 2 * n ** 3 / best / 1e9)


def openblas_core():
    try:
        import ctypes
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return "unknown"


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))


def train(model, x, y, epochs, seed):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, BATCH):
            idx_ = order[start:start + BATCH]
            xb, yb = x[idx_], y[idx_]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item() * 100


def run(name, factory, train_set, test_set, epochs):
    x, y = train_set
    train(factory(), x[:4096], y[:4096], 1, 99)  # warm-up, as on our side
    torch.manual_seed(1)
    model = factory()
    start = time.perf_counter()
    train(model, x, y, epochs, 1)
    seconds = time.perf_counter() - start
    emit(f"torch_{name}_train_samples_per_s", x.shape[0] * epochs / seconds)
    emit(f"torch_{name}_test_acc", accuracy(model, *test_set))


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    folder = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(THREADS)
    emit("torch_threads", torch.get_num_threads())
    print(f"torch_version {torch.__version__}", flush=True)
    print(f"openblas_core {openblas_core()}", flush=True)
    if what in ("sgemm", "all"):
        sgemm()
    if what == "sgemm":
        return
    train_set, test_set = load(folder, "train"), load(folder, "t10k")
    if what in ("mlp", "all"):
        run("mlp", mlp, train_set, test_set, epochs)
    if what in ("cnn", "all"):
        run("cnn", cnn, train_set, test_set, epochs)


if __name__ == "__main__":
    main()
