#!/usr/bin/env python3
"""Writes Vector128Lane.cs, Vector256Lane.cs and Vector512Lane.cs from VectorLane.template, and
Vector256x2Lane.cs and Vector512x2Lane.cs (two registers per lane value) from VectorPairLane.template.

The vector lanes differ only in their width (.NET 10 has no public interface over
Vector128/256/512), so they are generated from one template each; tests/Engine.Tests checks that
the files match them. Edit a template, then run this script from this folder.
"""
import pathlib

WIDTHS = {
    "128": ("2", "0UL, 1UL", "Sse2.IsSupported ? Sse2.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector128.WidenLower(Vector128.Create(values[0], values[1], 0u, 0u))"),
    "256": ("4", "0UL, 1UL, 2UL, 3UL", "Avx2.IsSupported ? Avx2.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector256.WidenLower(Vector128.Create(values[..4]).ToVector256Unsafe())"),
    "512": ("8", "0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL", "Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32)",
            "Vector512.WidenLower(Vector256.Create(values[..8]).ToVector512Unsafe())"),
}

XOR3 = {
    "128": "Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
    "256": "Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
    "512": "Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c",
}

SELECT = {
    "128": "Sse41.IsSupported ? Sse41.BlendVariable(whenFalse.Value, whenTrue.Value, mask.Value) : Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
    "256": "Avx.IsSupported ? Avx.BlendVariable(whenFalse.Value, whenTrue.Value, mask.Value) : Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
    "512": "Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value)",
}


def ziggurat_load(bits):
    """Each lane's (width, ratio) pair by one 16-byte load, the pairs unpacked into the two lane values."""
    def load(j):
        return f"Vector128.Load(pairs + 2 * layer.GetElement({j}))"
    pad = " " * 12
    if bits == "128":
        even, odd, unpack = load(0), load(1), "Sse2"
    elif bits == "256":
        even = f"Vector256.Create({load(0)}, {load(2)})"
        odd = f"Vector256.Create({load(1)}, {load(3)})"
        unpack = "Avx"
    else:
        even = f"Vector512.Create(Vector256.Create({load(0)}, {load(2)}), Vector256.Create({load(4)}, {load(6)}))"
        odd = f"Vector512.Create(Vector256.Create({load(1)}, {load(3)}), Vector256.Create({load(5)}, {load(7)}))"
        unpack = "Avx512F"
    return "\n".join([
        f"{pad}if ({unpack}.IsSupported)",
        f"{pad}{{",
        f"{pad}    var even = {even};",
        f"{pad}    var odd = {odd};",
        f"{pad}    width = {unpack}.UnpackLow(even, odd);",
        f"{pad}    ratio = {unpack}.UnpackHigh(even, odd);",
        f"{pad}}}",
        f"{pad}else",
        f"{pad}{{",
        f"{pad}    (width, ratio) = ZigguratPairsByElement(pairs, layer);",
        f"{pad}}}",
    ])


def gather(width):
    return ", ".join(f"flat[origin + offsets[{j}]]" for j in range(int(width)))


here = pathlib.Path(__file__).parent
template = (here / "VectorLane.template").read_text()
for bits, (width, index, multiply, widen) in WIDTHS.items():
    text = (template.replace("__ZLOAD__", ziggurat_load(bits)).replace("__WIDEN__", widen).replace("__SELECT__", SELECT[bits]).replace("__XOR3__", XOR3[bits]).replace("__GATHER__", gather(width)).replace("__B__", bits).replace("__W__", width)
            .replace("__INDEX__", index).replace("__MUL__", multiply))
    text = text.replace("/// <summary>" + width + " replicates",
                        "// Generated from VectorLane.template by generate.py: edit the template, not this file.\n/// <summary>" + width + " replicates", 1)
    (here / f"Vector{bits}Lane.cs").write_text(text)

pair_template = (here / "VectorPairLane.template").read_text()
for bits, half in {"256": 4, "512": 8}.items():
    width = 2 * half
    low = ", ".join(f"flat[origin + offsets[{j}]]" for j in range(half))
    high = ", ".join(f"flat[origin + offsets[{j}]]" for j in range(half, width))
    text = (pair_template.replace("__GATHER_LOW__", low).replace("__GATHER_HIGH__", high).replace("__B__", bits)
            .replace("__W__", str(width)).replace("__H__", str(half)))
    text = text.replace("/// <summary>\n/// " + str(width) + " replicates",
                        "// Generated from VectorPairLane.template by generate.py: edit the template, not this file.\n/// <summary>\n/// " + str(width) + " replicates", 1)
    (here / f"Vector{bits}x2Lane.cs").write_text(text)
