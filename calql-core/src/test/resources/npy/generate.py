"""Writes the .npy fixtures NpyFileTest reads, with numpy.save (run: python3 generate.py).

Each array holds i * 0.25 - 1 for i = 0, 1, ... in C order, so the test knows the values without numpy.
"""
import numpy as np


def values(shape, dtype):
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64) * 0.25 - 1).astype(dtype).reshape(shape)


np.save("f4_2x3.npy", values((2, 3), "<f4"))
np.save("f8_4.npy", values((4,), "<f8"))
np.save("f8_big_endian_3x2.npy", values((3, 2), ">f8"))
np.save("f8_fortran_2x2.npy", np.asfortranarray(values((2, 2), "<f8")))
np.save("i8_3.npy", np.arange(3, dtype="<i8"))
