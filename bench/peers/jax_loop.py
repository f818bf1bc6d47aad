#!/usr/bin/env python3
"""The canonical run (bench/canonical.toml) as a competent researcher would write it in JAX for a
GPU: one replicate written as a function (jax.lax.scan over rounds), jax.vmap over replicates,
jax.jit over the whole, float64 enabled. The model is loopsim's (docs/model.md sections 2-4): two
models in d = 2, n = 64 samples per refit from the multinomial mixture of real data, curated
data (K = 4 candidates from the model, softmax choice by jax.random.categorical, which is exact)
and the other model's outputs; full-covariance maximum-likelihood refit; the stationary
alignment averaged over rounds burn_in+1..rounds.

Usage: jax_loop.py [replicates=1048576] [k=4|inf]
Prints the compile time, the steady-state throughput in replicate-rounds per second (the second
call, after compilation) and the stationary alignments with their standard errors.
"""
import sys
import time

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)

D = 2
N = 64
ROUNDS = 200
BURN_IN = 100
REAL_MEAN = jnp.array([[0.0, 0.0], [-3.0, 0.0]])
CENTER = REAL_MEAN
BETA = jnp.array([0.25, 0.25])
# sources: 0 real, 1 curated, 2 the other model
WEIGHTS = jnp.array([[0.3, 0.4, 0.3], [0.4, 0.3, 0.3]])
CUMULATIVE = jnp.cumsum(WEIGHTS, axis=1)


def make_run(k):
    def curated_draws(key, i, mean, chol, cov):
        if k == "inf":
            # Exact tilt of N(mu, Sigma) by exp(-beta/2 |x - c|^2): N((I + b S)^-1 (mu + b S c), (I + b S)^-1 S).
            a = jnp.eye(D) + BETA[i] * cov[i]
            tilt_mean = jnp.linalg.solve(a, mean[i] + BETA[i] * cov[i] @ CENTER[i])
            tilt_cov = jnp.linalg.solve(a, cov[i])
            tilt_cov = 0.5 * (tilt_cov + tilt_cov.T)
            z = jax.random.normal(key, (N, D))
            return tilt_mean + z @ jnp.linalg.cholesky(tilt_cov).T
        k_z, k_pick = jax.random.split(key)
        zc = jax.random.normal(k_z, (N, k, D))
        candidates = mean[i] + zc @ chol[i].T                              # (n, K, d)
        reward = -0.5 * BETA[i] * ((candidates - CENTER[i]) ** 2).sum(-1)   # (n, K)
        pick = jax.random.categorical(k_pick, reward, axis=-1)              # softmax choice
        return jnp.take_along_axis(candidates, pick[:, None, None], axis=1)[:, 0, :]

    def refit(key, i, mean, cov, chol):
        other = 1 - i
        k_u, k_z, k_c = jax.random.split(key, 3)
        u = jax.random.uniform(k_u, (N,))
        source = (u[:, None] >= CUMULATIVE[i]).sum(-1)                       # 0, 1 or 2
        z = jax.random.normal(k_z, (N, D))
        real = REAL_MEAN[i] + z                                              # real covariance is I
        cross = mean[other] + z @ chol[other].T
        curated = curated_draws(k_c, i, mean, chol, cov)
        x = jnp.where((source == 0)[:, None], real, jnp.where((source == 1)[:, None], curated, cross))
        m = x.mean(0)
        dev = x - m
        return m, dev.T @ dev / N

    def one_round(carry, key):
        mean, cov = carry
        chol = jnp.linalg.cholesky(cov)
        k0, k1 = jax.random.split(key)
        m0, c0 = refit(k0, 0, mean, cov, chol)
        m1, c1 = refit(k1, 1, mean, cov, chol)
        mean = jnp.stack([m0, m1])
        cov = jnp.stack([c0, c1])
        alignment = -0.5 * BETA * (((mean - CENTER) ** 2).sum(-1) + jnp.trace(cov, axis1=-2, axis2=-1))
        return (mean, cov), alignment

    def replicate(key):
        start = (REAL_MEAN, jnp.broadcast_to(jnp.eye(D), (2, D, D)))
        _, alignment = jax.lax.scan(one_round, start, jax.random.split(key, ROUNDS))
        return alignment[BURN_IN:].mean(0)

    return jax.jit(jax.vmap(replicate))


def main():
    replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20
    k = sys.argv[2] if len(sys.argv) > 2 else "4"
    k = k if k == "inf" else int(k)
    run = make_run(k)
    keys = jax.random.split(jax.random.PRNGKey(1), replicates)
    start = time.perf_counter()
    run(keys).block_until_ready()
    compile_and_first = time.perf_counter() - start
    keys = jax.random.split(jax.random.PRNGKey(2), replicates)
    start = time.perf_counter()
    alignment = run(keys).block_until_ready()
    elapsed = time.perf_counter() - start
    device = jax.devices()[0]
    print(f"jax {jax.__version__} on {device.device_kind} (float64, k = {k}): {replicates} replicates x {ROUNDS} rounds in {elapsed:.2f} s "
          f"(first call with compilation {compile_and_first:.2f} s): {replicates * ROUNDS / elapsed:.4g} replicate-rounds/s")
    for name, a in zip(["theta", "phi"], alignment.T):
        print(f"  {name}: stationary alignment {float(a.mean()):.4f} +- {float(a.std(ddof=1)) / replicates ** 0.5:.4f}")


if __name__ == "__main__":
    main()
