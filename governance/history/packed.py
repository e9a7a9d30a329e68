"""A recorded result's bytes as the store keeps them: zstandard, level 1.

At 50,000 findings (a 37 MiB result) zstandard's level 1 takes some 20 ms of CPU and keeps about a third of
what zlib's level 1 kept (150 ms), benchmarks/README.md "Recording, round 4". Runs recorded by an earlier govern
hold zlib's bytes and stay readable: each stream says what it is in its first bytes, so no column marks it.
zstandard's frame starts with its magic number, 28 b5 2f fd; a zlib stream never does (its first two bytes,
read as a number, are a multiple of 31, and 0x28b5 is not).
"""

from __future__ import annotations

import zlib

import zstandard

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
LEVEL = 1


def pack(data: bytes) -> bytes:
    """`data` compressed as the store keeps it (the frame records the size, which `unpack` reads back)."""
    return zstandard.ZstdCompressor(level=LEVEL).compress(data)


def unpack(stored: bytes) -> bytes:
    """The bytes `pack` (or an earlier govern's zlib) compressed into `stored`."""
    if stored[:4] == ZSTD_MAGIC:
        return zstandard.ZstdDecompressor().decompress(stored)
    return zlib.decompress(stored)
