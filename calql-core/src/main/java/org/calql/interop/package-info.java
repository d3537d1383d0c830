/**
 * Weights interop with PyTorch and numpy: {@link org.calql.interop.Safetensors} and {@link org.calql.interop.Npz}
 * read and write named tensors, and {@link org.calql.interop.CorlWeights} maps an agent to the {@code state_dict}
 * key names of CORL's {@code algorithms/finetune/cal_ql.py} and back.
 */
package org.calql.interop;
