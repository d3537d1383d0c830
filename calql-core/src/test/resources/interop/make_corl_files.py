#!/usr/bin/env python3
"""Generates the interop test files beside this script (run with Debian's python3-torch and python3-numpy:
`/usr/bin/python3 make_corl_files.py`); the Java tests read the files and need no Python.

Files:
  corl-tiny.safetensors   a CORL cal_ql.py trainer (TanhGaussianPolicy + 2 FullyConnectedQFunction + targets +
                          log_alpha + log_alpha_prime) with random weights at a tiny size, its nested state_dict()
                          flattened with "." (actor.base_network.0.weight, critic1.network.0.weight,
                          critic1_target..., sac_log_alpha.constant, cql_log_alpha.constant), F32
  corl-actor.safetensors, corl-critic1.safetensors, corl-critic2.safetensors
                          the same modules' own state_dict()s, one file each (base_network.0.weight, ...)
  corl-tiny.json          the architecture, and torch's deterministic actions and Q values for fixed inputs
  dtypes.safetensors      one tensor in each of F16, BF16, F32, F64 (expected values in dtypes.json)
  numpy.npz               written by numpy.savez (expected values in numpy.json)

Loading a calql export in PyTorch (what `python3 make_corl_files.py --check FILE` does):
  tensors = load_safetensors(FILE)            # or safetensors.torch.load_file(FILE)
  actor.load_state_dict(sub(tensors, "actor"), strict=True)
  critic_1.load_state_dict(sub(tensors, "critic1"), strict=True)   # and critic2, critic1_target, ...
  log_alpha.constant.data = tensors["sac_log_alpha.constant"]
A calql NPZ export loads the same way from dict(numpy.load(FILE)).
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
OBS, ACT, MAX_ACTION = 3, 2, 2.0
ACTOR_HIDDEN, CRITIC_HIDDEN = [8, 8, 8], [8, 8]


# ---- CORL's modules (algorithms/finetune/cal_ql.py), widths made parameters ----
class Scalar(nn.Module):
    def __init__(self, init_value: float):
        super().__init__()
        self.constant = nn.Parameter(torch.tensor(init_value, dtype=torch.float32))

    def forward(self):
        return self.constant


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class TanhGaussianPolicy(nn.Module):
    def __init__(self, state_dim, action_dim, max_action, log_std_multiplier=1.0, log_std_offset=-1.0):
        super().__init__()
        self.action_dim = action_dim
        self.max_action = max_action
        self.base_network = mlp([state_dim] + ACTOR_HIDDEN + [2 * action_dim])
        self.log_std_multiplier = Scalar(log_std_multiplier)
        self.log_std_offset = Scalar(log_std_offset)

    def deterministic(self, observations):
        mean, _ = torch.split(self.base_network(observations), self.action_dim, dim=-1)
        return self.max_action * torch.tanh(mean)


class FullyConnectedQFunction(nn.Module):
    def __init__(self, observation_dim, action_dim):
        super().__init__()
        self.network = mlp([observation_dim + action_dim] + CRITIC_HIDDEN + [1])

    def forward(self, observations, actions):
        return torch.squeeze(self.network(torch.cat([observations, actions], dim=-1)), dim=-1)


MODULES = ["actor", "critic1", "critic2", "critic1_target", "critic2_target"]


def build():
    return {"actor": TanhGaussianPolicy(OBS, ACT, MAX_ACTION),
            **{name: FullyConnectedQFunction(OBS, ACT) for name in MODULES[1:]},
            "sac_log_alpha": Scalar(0.0), "cql_log_alpha": Scalar(1.0)}


def flat_state_dict(modules):
    """CORL's CalQL.state_dict() minus optimizers and counters, flattened with '.'."""
    return {f"{name}.{k}": v.detach().contiguous() for name, m in modules.items() for k, v in m.state_dict().items()}


def sub(tensors, prefix):
    return {k[len(prefix) + 1:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}


# ---- a tiny safetensors writer and reader (the format: u64 LE header length, JSON header, LE buffers) ----
CODES = {torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32", torch.float64: "F64"}
DTYPES = {v: k for k, v in CODES.items()}


def save_safetensors(tensors, path, metadata=None):
    header, buffers, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        raw = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dim() > 0 else \
            t.reshape(1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        buffers.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(buffers))


def load_safetensors(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        raw = bytearray(data[8 + n + b:8 + n + end])
        t = torch.frombuffer(raw, dtype=torch.uint8).view(DTYPES[e["dtype"]]) if raw else \
            torch.zeros(0, dtype=DTYPES[e["dtype"]])
        out[name] = t.reshape(e["shape"]).clone()
    return out


OBSERVATIONS = [[0.5, -1.0, 0.25], [-0.3, 0.8, 1.5], [2.0, 0.1, -0.7]]
ACTIONS = [[0.4, -1.2], [-1.9, 0.3], [0.0, 1.0]]


def expected(modules):
    obs = torch.tensor(OBSERVATIONS, dtype=torch.float32)
    act = torch.tensor(ACTIONS, dtype=torch.float32)
    with torch.no_grad():
        return {"observations": OBSERVATIONS, "actions": ACTIONS,
                "deterministicActions": modules["actor"].deterministic(obs).double().tolist(),
                **{f"q_{name}": modules[name](obs, act).double().tolist() for name in MODULES[1:]}}


def generate():
    torch.manual_seed(20240611)
    modules = build()
    with torch.no_grad():
        for name in MODULES:
            for p in modules[name].parameters():
                if p.dim() > 0:
                    p.copy_(torch.randn_like(p) * 0.6)
        modules["actor"].log_std_multiplier.constant.fill_(1.25)
        modules["actor"].log_std_offset.constant.fill_(-0.75)
        modules["sac_log_alpha"].constant.fill_(-0.5)
        modules["cql_log_alpha"].constant.fill_(0.3)
    save_safetensors(flat_state_dict(modules), HERE / "corl-tiny.safetensors")
    save_safetensors(modules["actor"].state_dict(), HERE / "corl-actor.safetensors")
    save_safetensors(modules["critic1"].state_dict(), HERE / "corl-critic1.safetensors")
    save_safetensors(modules["critic2"].state_dict(), HERE / "corl-critic2.safetensors")
    info = {"observationDim": OBS, "actionDim": ACT, "maxAction": MAX_ACTION, "actorHidden": ACTOR_HIDDEN,
            "criticHidden": CRITIC_HIDDEN, "logStdMultiplier": 1.25, "logStdOffset": -0.75, "logAlpha": -0.5,
            "logAlphaPrime": 0.3, **expected(modules)}
    (HERE / "corl-tiny.json").write_text(json.dumps(info, indent=1) + "\n")

    values = [0.1, -2.5, 1024.0, 3.140625, -0.0001]
    tensors = {f"x_{CODES[d].lower()}": torch.tensor(values, dtype=d) for d in CODES}
    save_safetensors(tensors, HERE / "dtypes.safetensors", {"note": "one tensor per dtype"})
    (HERE / "dtypes.json").write_text(json.dumps({k: v.double().tolist() for k, v in tensors.items()}) + "\n")

    arrays = {"w": np.arange(6, dtype=np.float32).reshape(2, 3) / 7, "b": np.array([1.5, -2.25, 1e-300]),
              "s": np.array(0.125, dtype=np.float32), "h": np.array([0.5, -3.0], dtype=np.float16),
              "e": np.zeros((0, 4), dtype=np.float64)}
    np.savez(HERE / "numpy.npz", **arrays)
    (HERE / "numpy.json").write_text(json.dumps(
        {k: {"shape": list(v.shape), "values": v.astype(np.float64).ravel().tolist()} for k, v in arrays.items()})
        + "\n")


def check(path):
    """Loads a calql export (safetensors or npz) into CORL's modules with strict=True and prints torch's
    deterministic actions and Q values for the fixed inputs, to compare with calql's."""
    if str(path).endswith(".npz"):
        tensors = {k: torch.from_numpy(v) for k, v in np.load(path).items()}
    else:
        tensors = load_safetensors(path)
    actor_hidden = [tensors[f"actor.base_network.{2 * i}.weight"].shape[0] for i in range(3)]
    global ACTOR_HIDDEN, CRITIC_HIDDEN, OBS, ACT
    OBS = tensors["actor.base_network.0.weight"].shape[1]
    ACT = tensors["actor.base_network.6.weight"].shape[0] // 2
    ACTOR_HIDDEN = actor_hidden
    CRITIC_HIDDEN = [tensors[f"critic1.network.{2 * i}.weight"].shape[0] for i in range(2)]
    modules = build()
    for name in MODULES:
        modules[name].load_state_dict({k: v.float() for k, v in sub(tensors, name).items()}, strict=True)
    for name in ("sac_log_alpha", "cql_log_alpha"):
        if f"{name}.constant" in tensors:
            modules[name].load_state_dict({"constant": tensors[f"{name}.constant"].float()}, strict=True)
    extra = sorted(k for k in tensors if not any(k.startswith(p + ".") for p in modules) and not k.startswith("obs_"))
    print(json.dumps({"loaded": sorted(modules), "extraKeys": extra,
                      "logAlpha": modules["sac_log_alpha"].constant.item(),
                      "logAlphaPrime": modules["cql_log_alpha"].constant.item(), **expected(modules)}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        generate()
