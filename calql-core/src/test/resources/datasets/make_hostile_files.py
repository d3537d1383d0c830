"""Writes the hostile test files next to this script (run with h5py >= 3, numpy; the tests only read
the checked-in files and need no Python).

  d4rl-huge-declared.hdf5     D4RL layout whose five keys each declare N = 2,000,000,000 rows
                              (observations [N, 3], actions [N, 2]), gzip-chunked by 1,000 rows, with
                              only the first chunk of each written: a few KB on disk, 42 GB declared.
                              Default h5py format (v1 B-tree chunk index).
  d4rl-huge-declared-v4.hdf5  The same with libver="latest" and unlimited rows (v4 layout,
                              extensible-array chunk index).
  d4rl-soft-links.hdf5        D4RL layout (N = 6) whose data lies under /data; the root keys are soft
                              links to it, 'rewards' through a chain of two links (/r -> /data/rewards).
                              obs[t, j] = t + j / 10, act[t] = -t, r[t] = t / 2, no terminals, no timeouts.
  d4rl-soft-link-cycle.hdf5   As d4rl-soft-links, but 'rewards' is a soft link to /a, /a to /b, /b to /a.
  d4rl-external-link.hdf5     As d4rl-soft-links, but 'rewards' is an external link to
                              d4rl-dense.hdf5:/rewards.
"""
import h5py
import numpy as np

N = 2_000_000_000
CHUNK = 1000


def huge(name, unlimited=False, **kw):
    with h5py.File(name, "w", **kw) as f:
        for key, width, dtype in [("observations", 3, "f4"), ("actions", 2, "f4"), ("rewards", None, "f4"),
                                  ("terminals", None, "u1"), ("timeouts", None, "u1")]:
            shape = (N,) if width is None else (N, width)
            chunks = (CHUNK,) if width is None else (CHUNK, width)
            maxshape = ((None,) + shape[1:]) if unlimited else shape
            d = f.create_dataset(key, shape=shape, maxshape=maxshape, dtype=dtype, chunks=chunks,
                                 compression="gzip")
            d[:CHUNK] = np.zeros(chunks, dtype)


huge("d4rl-huge-declared.hdf5")
huge("d4rl-huge-declared-v4.hdf5", unlimited=True, libver="latest")


def linked(name, rewards_link):
    n = 6
    t = np.arange(n)
    with h5py.File(name, "w") as f:
        g = f.create_group("data")
        g["observations"] = (t[:, None] + np.arange(3)[None, :] / 10).astype(np.float32)
        g["actions"] = (-t[:, None] + np.zeros((1, 2))).astype(np.float32)
        g["rewards"] = (t / 2).astype(np.float32)
        g["terminals"] = np.zeros(n, np.uint8)
        g["timeouts"] = np.zeros(n, np.uint8)
        for key in ["observations", "actions", "terminals", "timeouts"]:
            f[key] = h5py.SoftLink("/data/" + key)
        rewards_link(f)


def chain(f):
    f["r"] = h5py.SoftLink("/data/rewards")
    f["rewards"] = h5py.SoftLink("/r")


def cycle(f):
    f["a"] = h5py.SoftLink("/b")
    f["b"] = h5py.SoftLink("/a")
    f["rewards"] = h5py.SoftLink("/a")


def external(f):
    f["rewards"] = h5py.ExternalLink("d4rl-dense.hdf5", "/rewards")


linked("d4rl-soft-links.hdf5", chain)
linked("d4rl-soft-link-cycle.hdf5", cycle)
linked("d4rl-external-link.hdf5", external)
