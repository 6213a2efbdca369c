#!/usr/bin/env python3
"""Writes the seed corpora of the image-format fuzzers (corpus/idx, cifar, zip, png): a few tiny
valid files of each format and a few broken ones. Python's standard library only; the JPEG seeds
need ImageMagick's `convert` and are skipped without it. Usage: tests/fuzz/make_image_seeds.py"""

import gzip
import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(corpus, name, data):
    os.makedirs(os.path.join(HERE, corpus), exist_ok=True)
    with open(os.path.join(HERE, corpus, name), "wb") as f:
        f.write(data)


def ramp(n, mul=7, add=3):
    return bytes((i * mul + add) % 256 for i in range(n))


def gz(data):
    return gzip.compress(data, mtime=0)  # mtime 0: the same bytes on every run


# ---- IDX ----
images = struct.pack(">IIII", 0x803, 2, 3, 3) + ramp(18)
labels = struct.pack(">II", 0x801, 4) + bytes([0, 3, 9, 1])
put("idx", "images_raw.idx", images)
put("idx", "images.idx.gz", gz(images))
put("idx", "labels_raw.idx", labels)
put("idx", "labels.idx.gz", gz(labels))
put("idx", "bad_magic.idx", struct.pack(">IIII", 0xD03, 1, 1, 1) + b"\0\0\0\0")
put("idx", "truncated.idx.gz", gz(images)[:-9])
put("idx", "huge_dims.idx.gz", gz(struct.pack(">IIII", 0x803, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF)))

# ---- CIFAR-10 ----
record = lambda label, seed: bytes([label]) + ramp(3072, 13 + seed, seed)
put("cifar", "two_records.bin", record(3, 0) + record(9, 1))
put("cifar", "bad_label.bin", record(10, 0))
put("cifar", "truncated.bin", record(1, 0)[:3000])


# ---- zip / npz ----
def npy(descr, shape, data):
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def npz(members, compression, force_zip64=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with z.open(info, "w", force_zip64=force_zip64) as f:
                f.write(data)
    return buf.getvalue()


data = npy("|u1", (2, 12), ramp(24))
labels = npy("<i8", (2,), struct.pack("<qq", 1, 1000))
put("zip", "imagenet_stored.npz", npz([("data.npy", data), ("labels.npy", labels)], zipfile.ZIP_STORED))
deflated = npz([("data.npy", data), ("labels.npy", labels)], zipfile.ZIP_DEFLATED, force_zip64=True)
put("zip", "imagenet_deflated_zip64.npz", deflated)
put("zip", "no_data.npz", npz([("labels.npy", labels)], zipfile.ZIP_DEFLATED))
bad_crc = bytearray(npz([("data.npy", data), ("labels.npy", labels)], zipfile.ZIP_STORED))
bad_crc[bad_crc.find(b"PK\x01\x02") + 16] ^= 0x5A
put("zip", "bad_crc.npz", bytes(bad_crc))
put("zip", "truncated.npz", deflated[: len(deflated) // 2] + deflated[-22:])


# ---- PNG / JPEG ----
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width, height, color, depth, rows, palette=None, interlace=0):
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace))
    if palette:
        out += chunk(b"PLTE", palette)
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 (none) per row
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


rgb = png(3, 2, 2, 8, [ramp(9), ramp(9, 11)])
put("png", "rgb.png", rgb)
put("png", "gray16.png", png(2, 2, 0, 16, [ramp(4, 5), ramp(4, 9)]))
put("png", "palette.png", png(4, 1, 3, 8, [bytes([0, 1, 2, 1])], palette=bytes([255, 0, 0, 0, 255, 0, 1, 2, 3])))
put("png", "rgba.png", png(2, 2, 6, 8, [ramp(8), ramp(8, 3)]))
bad = bytearray(rgb)
bad[bad.find(b"IDAT") + 6] ^= 0x40
put("png", "bad_crc.png", bytes(bad))
put("png", "truncated.png", rgb[:-20])
if shutil.which("convert"):
    for name, args in (("rgb.jpg", ["-size", "8x8", "gradient:red-blue"]), ("gray.jpg", ["-size", "8x8", "gradient:", "-colorspace", "Gray"])):
        jpg = subprocess.run(["convert", *args, "-strip", "-quality", "90", "jpg:-"], check=True, capture_output=True).stdout
        put("png", name, jpg)
        if name == "rgb.jpg":
            put("png", "truncated.jpg", jpg[: len(jpg) // 2])
