#!/usr/bin/env python3
"""The canonical run (bench/canonical.toml) written as a competent researcher would in NumPy:
vectorised over replicates (and over sample slots and candidates), one Python loop over rounds
and models. Same model as loopsim (docs/model.md sections 2-4): multinomial mixture of real,
curated (K candidates, softmax choice with the max subtracted) and cross-model data, full
covariance refit by maximum likelihood, stationary alignment over rounds burn_in+1..rounds.
Prints the throughput in replicate-rounds per second and the stationary alignments.

Usage: numpy_loop.py [replicates=1024] [k=4 | inf] [n=64]. With k = inf the curated samples come
from the exact tilted Gaussian (docs/model.md section 2: for r(x) = -beta/2 |x - c|^2, precision
Sigma^-1 + beta I and mean (Sigma^-1 + beta I)^-1 (Sigma^-1 mu + beta c)), as loopsim's K = inf.
"""
import sys
import time

import numpy as np


def run(replicates, rounds=200, burn_in=100, n=64, k=4, seed=1):
    rng = np.random.default_rng(seed)
    d = 2
    real_mean = np.array([[0.0, 0.0], [-3.0, 0.0]])
    center = real_mean.copy()
    beta = np.array([0.25, 0.25])
    # sources: 0 real, 1 curated, 2 the other model
    weights = np.array([[0.3, 0.4, 0.3], [0.4, 0.3, 0.3]])
    cumulative = np.cumsum(weights, axis=1)
    mean = np.broadcast_to(real_mean[:, None, :], (2, replicates, d)).copy()
    cov = np.broadcast_to(np.eye(d), (2, replicates, d, d)).copy()
    total = np.zeros((2, replicates))
    for t in range(1, rounds + 1):
        chol = np.linalg.cholesky(cov)                       # (2, R, d, d)
        new_mean = np.empty_like(mean)
        new_cov = np.empty_like(cov)
        for i in range(2):
            other = 1 - i
            u = rng.random((replicates, n))
            source = (u[..., None] >= cumulative[i]).sum(-1)  # (R, n): 0, 1 or 2
            z = rng.standard_normal((replicates, n, d))
            real = real_mean[i] + z                            # real covariance is I
            cross = mean[other][:, None, :] + np.einsum('rij,rnj->rni', chol[other], z)
            if k is None:
                precision = np.linalg.inv(cov[i]) + beta[i] * np.eye(d)                     # (R, d, d)
                tilted_cov = np.linalg.inv(precision)
                tilted_mean = np.einsum('rij,rj->ri', tilted_cov, np.einsum('rij,rj->ri', precision - beta[i] * np.eye(d), mean[i]) + beta[i] * center[i])
                zt = rng.standard_normal((replicates, n, d))
                curated = tilted_mean[:, None, :] + np.einsum('rij,rnj->rni', np.linalg.cholesky(tilted_cov), zt)
            else:
                zc = rng.standard_normal((replicates, n, k, d))
                candidates = mean[i][:, None, None, :] + np.einsum('rij,rnkj->rnki', chol[i], zc)
                reward = -0.5 * beta[i] * ((candidates - center[i]) ** 2).sum(-1)   # (R, n, K)
                w = np.exp(reward - reward.max(-1, keepdims=True))
                cumw = np.cumsum(w, -1)
                pick = (cumw > rng.random((replicates, n, 1)) * cumw[..., -1:]).argmax(-1)
                curated = np.take_along_axis(candidates, pick[..., None, None], axis=2)[:, :, 0, :]
            x = np.where((source == 0)[..., None], real, np.where((source == 1)[..., None], curated, cross))
            m = x.mean(1)
            dev = x - m[:, None, :]
            new_mean[i] = m
            new_cov[i] = np.einsum('rni,rnj->rij', dev, dev) / n
        mean, cov = new_mean, new_cov
        if t > burn_in:
            for i in range(2):
                diff = mean[i] - center[i]
                total[i] += -0.5 * beta[i] * ((diff ** 2).sum(-1) + np.trace(cov[i], axis1=1, axis2=2))
    return total / (rounds - burn_in)


def main():
    replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    k = None if len(sys.argv) > 2 and sys.argv[2] == "inf" else int(sys.argv[2]) if len(sys.argv) > 2 else 4
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    start = time.perf_counter()
    alignment = run(replicates, n=n, k=k)
    elapsed = time.perf_counter() - start
    print(f"numpy {np.__version__} (k = {'inf' if k is None else k}, n = {n}): {replicates} replicates x 200 rounds in {elapsed:.2f} s: "
          f"{replicates * 200 / elapsed:.4g} replicate-rounds/s")
    for name, a in zip(["theta", "phi"], alignment):
        print(f"  {name}: stationary alignment {a.mean():.4f} +- {a.std(ddof=1) / np.sqrt(len(a)):.4f}")


if __name__ == "__main__":
    main()
