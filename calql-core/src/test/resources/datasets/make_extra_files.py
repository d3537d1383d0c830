"""Writes the extra h5py-made test files next to this script (run with h5py >= 3, numpy).

The conformance files (d4rl-dense, d4rl-sparse, minari-main_data, expected.json) come from
shared/conformance and are not written here. These files cover layouts jHDF cannot write itself:

  d4rl-column-chunks.hdf5  D4RL layout as h5py auto-chunks large files: gzip chunks of (16, 1)
                           (one column per chunk, partial chunks at the edges), uint8 terminals,
                           float64 rewards, h5py-bool timeouts. Values follow formulas the Java test
                           checks: obs[t, j] = t + j / 100, act[t, j] = -t - j / 10, r[t] = t / 2,
                           terminal where t % 17 == 16, timeout where t % 23 == 22, N = 100.
  d4rl-empty.hdf5          D4RL layout with every key of length 0.
  minari-empty-episode.hdf5 Minari layout whose episode_0 has T = 0 steps.
  d4rl-unwritten-chunks.hdf5 D4RL layout (N = 40) whose observations, chunked (8, 1) with fill value
                           7, were written only in rows 0-15: the chunks of rows 16-39 do not exist
                           and read as the fill value. obs[t, j] = t + j / 100 where written.
"""
import h5py
import numpy as np

n, s, a = 100, 5, 3
t = np.arange(n)
with h5py.File("d4rl-column-chunks.hdf5", "w") as f:
    f.create_dataset("observations", data=(t[:, None] + np.arange(s)[None, :] / 100).astype(np.float32),
                     chunks=(16, 1), compression="gzip")
    f.create_dataset("actions", data=(-t[:, None] - np.arange(a)[None, :] / 10).astype(np.float32),
                     chunks=(16, 1), compression="gzip")
    f.create_dataset("rewards", data=(t / 2).astype(np.float64), chunks=(16,), compression="gzip")
    f.create_dataset("terminals", data=(t % 17 == 16).astype(np.uint8), chunks=(16,), compression="gzip")
    f.create_dataset("timeouts", data=(t % 23 == 22), chunks=(16,), compression="gzip")
    f.create_dataset("infos/qpos", data=np.zeros((n, 2), np.float32))

with h5py.File("d4rl-empty.hdf5", "w") as f:
    f.create_dataset("observations", shape=(0, 4), dtype=np.float32)
    f.create_dataset("actions", shape=(0, 2), dtype=np.float32)
    f.create_dataset("rewards", shape=(0,), dtype=np.float32)
    f.create_dataset("terminals", shape=(0,), dtype=bool)
    f.create_dataset("timeouts", shape=(0,), dtype=bool)

with h5py.File("minari-empty-episode.hdf5", "w") as f:
    g = f.create_group("episode_0")
    g.create_dataset("observations", data=np.zeros((1, 3), np.float32))
    g.create_dataset("actions", shape=(0, 1), dtype=np.float32)
    g.create_dataset("rewards", shape=(0,), dtype=np.float64)
    g.create_dataset("terminations", shape=(0,), dtype=bool)
    g.create_dataset("truncations", shape=(0,), dtype=bool)

n = 40
t = np.arange(n)
with h5py.File("d4rl-unwritten-chunks.hdf5", "w") as f:
    obs = f.create_dataset("observations", shape=(n, 2), dtype=np.float32, chunks=(8, 1), fillvalue=7,
                           compression="gzip")
    obs[:16] = (t[:16, None] + np.arange(2)[None, :] / 100).astype(np.float32)
    f.create_dataset("actions", data=np.zeros((n, 1), np.float32))
    f.create_dataset("rewards", data=np.zeros(n, np.float32))
    f.create_dataset("terminals", data=np.zeros(n, bool))
    f.create_dataset("timeouts", data=np.zeros(n, bool))
