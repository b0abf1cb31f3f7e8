"""Guests from C: zig cross-compilation with a content-hashed cache, the
bundled guest programs, the generated hal_services.h, and what a name on
the command line means (a bundled guest, a C source or an ELF path).

May import: hal.core, hal.personality (to attach it to the C library
programs it loads), hal.errors, hal.paths.
"""
