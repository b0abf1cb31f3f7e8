#!/bin/sh
# How the binaries beside this file were built, once, on Debian 12 (bookworm)
# with its cross compilers (gcc 12.2, glibc 2.36):
#   apt-get install gcc-i686-linux-gnu gcc-mipsel-linux-gnu gcc-powerpc-linux-gnu gcc-riscv64-linux-gnu
# The tests only run them; CI needs none of these compilers.  Run this
# script in this folder to build them again.
set -eu

# tiny.*: no C library at all, each ISA's system calls written out in tiny.c.
i686-linux-gnu-gcc    -static -nostdlib -Os -o tiny.i686 tiny.c
mipsel-linux-gnu-gcc  -static -nostdlib -Os -fno-pic -mno-abicalls -Wl,-e,_start -o tiny.mipsel tiny.c
powerpc-linux-gnu-gcc -static -nostdlib -Os -Wl,-z,max-page-size=0x1000 -o tiny.powerpc tiny.c
riscv64-linux-gnu-gcc -static -nostdlib -Os -march=rv64imafd -mabi=lp64d -o tiny.riscv64 tiny.c
for isa in i686 mipsel powerpc riscv64; do $isa-linux-gnu-strip tiny.$isa; done

# hello.*.xz: glibc, statically linked (kept compressed: about 650 KB each).
i686-linux-gnu-gcc    -static -Os -s -o hello.i686 hello.c
mipsel-linux-gnu-gcc  -static -Os -s -o hello.mipsel hello.c
powerpc-linux-gnu-gcc -static -Os -s -o hello.powerpc hello.c
riscv64-linux-gnu-gcc -static -Os -s -march=rv64imafd -mabi=lp64d -o hello.riscv64 hello.c
for isa in i686 mipsel powerpc riscv64; do xz -9 -f hello.$isa; done

# hello-dynamic.i686: the same, linked dynamically (needs /lib/ld-linux.so.2): refused.
i686-linux-gnu-gcc -Os -s -o hello-dynamic.i686 hello.c
