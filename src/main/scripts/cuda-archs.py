#!/usr/bin/env python3
"""Which GPU architectures a CUDA shared library can run on: lists the machine code (SASS, ELF entries) and
PTX (JIT-compilable) entries of its .nv_fatbin section. A GPU can run the library only if it has SASS for the
GPU's major compute capability (same major, minor <= the GPU's) or PTX it can JIT.

Usage: cuda-archs.py libnd4jcuda.so | nd4j-cuda-11.6-...-linux-x86_64.jar
ND4J 1.0.0-M2.1's libnd4jcuda.so: SASS for sm_37 50 52 60 61 70 75 80 86, no PTX -> no Hopper (sm_90) or newer.
"""
import collections
import struct
import subprocess
import sys
import tempfile
import zipfile

FATBIN_MAGIC = 0xBA55ED50
KINDS = {1: 'PTX', 2: 'SASS'}


def fatbin_section(path):
    out = subprocess.run(['readelf', '-S', '-W', path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if '.nv_fatbin' in line:
            fields = line.split(']')[1].split()
            offset, size = int(fields[3], 16), int(fields[4], 16)
            with open(path, 'rb') as f:
                f.seek(offset)
                return f.read(size)
    sys.exit(f'{path}: no .nv_fatbin section (not a CUDA library?)')


def entries(data):
    counts = collections.Counter()
    pos = 0
    while pos + 16 <= len(data):
        magic, _, header, size = struct.unpack_from('<IHHQ', data, pos)
        if magic != FATBIN_MAGIC:
            pos += 8
            continue
        p, end = pos + header, pos + header + size
        while p < end:
            kind, _, entry_header, entry_size = struct.unpack_from('<HHIQ', data, p)
            arch = struct.unpack_from('<I', data, p + 28)[0]
            counts[(KINDS.get(kind, kind), arch)] += 1
            p += entry_header + entry_size
        pos = end
    return counts


def main(path):
    if path.endswith('.jar'):
        with zipfile.ZipFile(path) as jar, tempfile.TemporaryDirectory() as tmp:
            libs = [n for n in jar.namelist() if n.endswith('.so') and 'nd4jcuda' in n and '/libjni' not in n]
            if not libs:
                sys.exit(f'{path}: no libnd4jcuda.so inside')
            return main(jar.extract(libs[0], tmp))
    counts = entries(fatbin_section(path))
    for (kind, arch), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        print(f'{kind:4} sm_{arch}: {n} kernel images')
    if not any(kind == 'PTX' for kind, _ in counts):
        newest = max(arch for _, arch in counts)
        print(f'no PTX: GPUs newer than compute capability {newest // 10}.x cannot run it')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
