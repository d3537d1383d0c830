"""Writes the discrete-action test files next to this script (run with h5py >= 3, numpy, e.g. Debian's
python3-h5py: `/usr/bin/python3 make_discrete_files.py`; the tests only read the checked-in files and need no
Python). Values follow formulas the Java tests (DiscreteDatasetTest) check exactly.

D4RL layout, N = 40 rows, obs[t, j] = t + j / 10 (float32 [N, 2]), r[t] = t / 4 (float32), terminals (h5py
bool) at t = 9, 25, timeouts (h5py bool) at t = 17, 33; qlearning_dataset keeps 37 transitions in 5 episodes
(lengths 10, 7, 8, 7, 5), 2 terminal:

  d4rl-discrete.hdf5               actions int64 [N], a[t] = (3t + 1) % 5, gzip-chunked by 16 rows (the last
                                   chunk partial); inferred n = 5.
  d4rl-discrete-<type>.hdf5        the same actions as <type>: int8, uint8, int16, uint16-be (big-endian),
                                   int32, uint32, uint64, contiguous.
  d4rl-discrete-negative.hdf5      actions int32 with a[12] = -1.
  d4rl-discrete-2d.hdf5            actions int64 [N, 2] (a[t, 0] = a[t], a[t, 1] = 0).
  d4rl-discrete-float.hdf5         actions float32 [N] holding a[t] exactly (float-stored indices).
  d4rl-discrete-nonintegral.hdf5   as d4rl-discrete-float, but a[7] = 2.5.
  d4rl-discrete-huge-declared.hdf5 D4RL layout whose keys declare N = 2,000,000,000 rows, actions int64 [N],
                                   gzip-chunked by 1,000 rows with only the first chunk of each written.

Minari layout as Minari 0.4 writes it (root attributes action_space and observation_space as serialize_space
JSON strings, minari_version, total_episodes, total_steps, dataset_id; per episode attributes id and
total_steps; datasets chunked with an unlimited first axis), 3 episodes of T = 6, 4, 5 steps,
obs[t, j] = 100 e + t + j / 10 (float32 [T + 1, 3]), r[t] = e + t / 10 (float64), actions int64 [T] with
a[t] = (e + 2t) % 5, episode 0 terminated at its last step, episode 1 truncated at its last step, episode 2
terminated at its last step; declared action space Discrete(6) (index 5 is never taken):

  minari-discrete.hdf5             the file above.
  minari-discrete-out-of-range.hdf5 episode_1/actions[3] = 6.
  minari-discrete-float.hdf5       every actions float32, episode_2/actions[1] = 1.5.
  minari-discrete-bad-json.hdf5    action_space is the truncated JSON '{"type": "Discrete", "n": 6'.
  minari-discrete-bad-n.hdf5       action_space declares "n": "six".
  minari-dict-space.hdf5           action_space is a Dict space of two Discrete subspaces.
  minari-box-space.hdf5            action_space is Box(shape [2]); actions float32 [T, 2] = (a[t], -a[t]).

Minari layout as Minari 0.5 writes it (no root attributes for the space; metadata.json beside main_data.hdf5,
holding data_format, minari_version, total_episodes, total_steps and the spaces as JSON strings):

  minari-0.5/data/main_data.hdf5   2 episodes of T = 5, 3 steps, obs as above, actions int64 with
  minari-0.5/data/metadata.json    a[t] = 1 + (e + t) % 4 from the space Discrete(4, start=1) (index a - 1).
"""
import json

import h5py
import numpy as np

N = 40
t = np.arange(N)
ACTIONS = (3 * t + 1) % 5


def d4rl(name, actions, chunks=None):
    with h5py.File(name, "w") as f:
        f.create_dataset("observations", data=(t[:, None] + np.arange(2)[None, :] / 10).astype(np.float32))
        if chunks:
            f.create_dataset("actions", data=actions, chunks=chunks, compression="gzip")
        else:
            f.create_dataset("actions", data=actions)
        f.create_dataset("rewards", data=(t / 4).astype(np.float32))
        f.create_dataset("terminals", data=np.isin(t, [9, 25]))
        f.create_dataset("timeouts", data=np.isin(t, [17, 33]))


d4rl("d4rl-discrete.hdf5", ACTIONS.astype(np.int64), chunks=(16,))
for label, dtype in [("int8", "i1"), ("uint8", "u1"), ("int16", "<i2"), ("uint16-be", ">u2"), ("int32", "<i4"),
                     ("uint32", "<u4"), ("uint64", "<u8")]:
    d4rl("d4rl-discrete-%s.hdf5" % label, ACTIONS.astype(dtype))
negative = ACTIONS.astype(np.int32)
negative[12] = -1
d4rl("d4rl-discrete-negative.hdf5", negative)
d4rl("d4rl-discrete-2d.hdf5", np.stack([ACTIONS, np.zeros(N, np.int64)], axis=1).astype(np.int64))
d4rl("d4rl-discrete-float.hdf5", ACTIONS.astype(np.float32))
nonintegral = ACTIONS.astype(np.float32)
nonintegral[7] = 2.5
d4rl("d4rl-discrete-nonintegral.hdf5", nonintegral)


def discrete_space(n, start=0):
    return json.dumps({"type": "Discrete", "dtype": "int64", "start": start, "n": n})


def box_space(dim):
    return json.dumps({"type": "Box", "dtype": "float32", "shape": [dim], "low": [-1e3] * dim,
                       "high": [1e3] * dim})


def episodes(f, lengths, action, action_dtype=np.int64, ends=("terminated", "truncated", "terminated")):
    for e, steps in enumerate(lengths):
        g = f.create_group("episode_%d" % e)
        g.attrs["id"] = e
        g.attrs["total_steps"] = steps
        s = np.arange(steps)
        obs = (100 * e + np.arange(steps + 1)[:, None] + np.arange(3)[None, :] / 10).astype(np.float32)
        g.create_dataset("observations", data=obs, chunks=True, maxshape=(None, 3))
        g.create_dataset("actions", data=np.array([action(e, k) for k in s], action_dtype), chunks=True,
                         maxshape=(None,))
        g.create_dataset("rewards", data=(e + s / 10).astype(np.float64), chunks=True, maxshape=(None,))
        g.create_dataset("terminations", data=(s == steps - 1) & (ends[e] == "terminated"), chunks=True,
                         maxshape=(None,))
        g.create_dataset("truncations", data=(s == steps - 1) & (ends[e] == "truncated"), chunks=True,
                         maxshape=(None,))
        g.create_group("infos").create_dataset("success", data=np.zeros(steps, bool))


def minari04(name, action_space, action=lambda e, k: (e + 2 * k) % 5, action_dtype=np.int64):
    lengths = [6, 4, 5]
    with h5py.File(name, "w") as f:
        f.attrs["action_space"] = action_space
        f.attrs["observation_space"] = box_space(3)
        f.attrs["minari_version"] = "~=0.4"
        f.attrs["dataset_id"] = "calql/discrete-test-v0"
        f.attrs["total_episodes"] = len(lengths)
        f.attrs["total_steps"] = sum(lengths)
        episodes(f, lengths, action, action_dtype)


minari04("minari-discrete.hdf5", discrete_space(6))
minari04("minari-discrete-out-of-range.hdf5", discrete_space(6),
         action=lambda e, k: 6 if (e, k) == (1, 3) else (e + 2 * k) % 5)
minari04("minari-discrete-float.hdf5", discrete_space(6),
         action=lambda e, k: 1.5 if (e, k) == (2, 1) else (e + 2 * k) % 5, action_dtype=np.float32)
minari04("minari-discrete-bad-json.hdf5", '{"type": "Discrete", "n": 6')
minari04("minari-discrete-bad-n.hdf5", json.dumps({"type": "Discrete", "dtype": "int64", "start": 0, "n": "six"}))
minari04("minari-dict-space.hdf5", json.dumps({"type": "Dict", "subspaces": {
    "move": json.loads(discrete_space(4)), "jump": json.loads(discrete_space(2))}}))

with h5py.File("minari-box-space.hdf5", "w") as f:
    f.attrs["action_space"] = box_space(2)
    f.attrs["minari_version"] = "~=0.4"
    episodes(f, [3, 2], lambda e, k: (e + 2 * k) % 5, ends=("terminated", "truncated"))
    for e in range(2):
        a = f["episode_%d/actions" % e][()].astype(np.float32)
        del f["episode_%d/actions" % e]
        f["episode_%d" % e].create_dataset("actions", data=np.stack([a, -a], axis=1))

HUGE = 2_000_000_000
with h5py.File("d4rl-discrete-huge-declared.hdf5", "w") as f:
    for key, width, dtype in [("observations", 2, "f4"), ("actions", None, "i8"), ("rewards", None, "f4"),
                              ("terminals", None, "u1"), ("timeouts", None, "u1")]:
        shape = (HUGE,) if width is None else (HUGE, width)
        chunks = (1000,) if width is None else (1000, width)
        d = f.create_dataset(key, shape=shape, dtype=dtype, chunks=chunks, compression="gzip")
        d[:1000] = np.zeros(chunks, dtype)

import os

os.makedirs("minari-0.5/data", exist_ok=True)
lengths = [5, 3]
with h5py.File("minari-0.5/data/main_data.hdf5", "w") as f:
    episodes(f, lengths, lambda e, k: 1 + (e + k) % 4, ends=("terminated", "truncated"))
with open("minari-0.5/data/metadata.json", "w") as out:
    json.dump({"total_episodes": len(lengths), "total_steps": sum(lengths), "data_format": "hdf5",
               "observation_space": box_space(3), "action_space": discrete_space(4, start=1),
               "dataset_id": "calql/discrete-test-v0", "minari_version": "0.5.3"}, out)
