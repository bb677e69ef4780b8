#!/usr/bin/env python3
"""Writes the ONNX models of the peer benchmark (NnGen.PeerBenchmarks) with onnx.helper: one
Gemm (X·Wᵀ + b, transB = 1, so W is NnGen's row-major N(l) × N(l−1)) and activation per layer,
float32, batch dimension N. Parameters come from the same 32-bit LCG as shared/peers/rtneural/bench.cpp
and RtNeuralCases.cs, in NnGen's order, so every runtime computes the same function.

    apt-get install -y python3-onnx      # or: pip install onnx
    python3 benchmarks/NnGen.PeerBenchmarks/make_models.py benchmarks/NnGen.PeerBenchmarks/models
"""
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CASES = {
    "dense4x4": (4, [(4, "Identity")]),
    "dense16x16": (16, [(16, "Identity")]),
    "dense16x16_tanh": (16, [(16, "Tanh")]),
    "dense64x64": (64, [(64, "Identity")]),
    "2-3-4-2_tanh": (2, [(3, "Tanh"), (4, "Tanh"), (2, "Identity")]),
    "64-32-10_tanh_softmax": (64, [(32, "Tanh"), (10, "Softmax")]),
    "784-128-10_relu_softmax": (784, [(128, "Relu"), (10, "Softmax")]),
    "784-128-10_tanh_softmax": (784, [(128, "Tanh"), (10, "Softmax")]),
}


class Lcg:
    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 1664525 + 1013904223) & 0xFFFFFFFF
        return np.float32(np.float32(self.s >> 8) * np.float32(1.0 / 16777216.0) * np.float32(2.0) - np.float32(1.0))


def build(name, inputs, layers):
    lcg = Lcg(12345)
    nodes, initializers = [], []
    previous, fan_in = "X", inputs
    for l, (size, activation) in enumerate(layers, start=1):
        scale = np.float32(1.0 / math.sqrt(fan_in))
        w = np.array([lcg.next() * scale for _ in range(size * fan_in)], dtype=np.float32).reshape(size, fan_in)
        b = np.array([lcg.next() * np.float32(0.1) for _ in range(size)], dtype=np.float32)
        initializers += [numpy_helper.from_array(w, f"W{l}"), numpy_helper.from_array(b, f"b{l}")]
        z = f"z{l}"
        nodes.append(helper.make_node("Gemm", [previous, f"W{l}", f"b{l}"], [z], transB=1))
        out = "Y" if l == len(layers) else f"a{l}"
        if activation == "Identity":
            nodes.append(helper.make_node("Identity", [z], [out]))
        elif activation == "Softmax":
            nodes.append(helper.make_node("Softmax", [z], [out], axis=1))
        else:
            nodes.append(helper.make_node(activation, [z], [out]))
        previous, fan_in = out, size
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", inputs])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", fan_in])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="NnGen make_models.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "models"
    os.makedirs(out, exist_ok=True)
    for name, (inputs, layers) in CASES.items():
        onnx.save(build(name, inputs, layers), os.path.join(out, name + ".onnx"))
        print("wrote", os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
