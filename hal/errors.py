"""Errors the CLI turns into one clear line on stderr and a non-zero exit."""
from __future__ import annotations


class HalError(Exception):
    """Bad input: a file, a name or an option we cannot use (exit status 2)."""
    exit_status = 2


class LoadError(HalError):
    """An ELF file we refuse to load."""


class BuildError(HalError):
    """The cross-compiler rejected a guest; the message is the compiler's."""


class GuestError(HalError):
    """A guest that faulted or ran past a limit (exit status 3)."""
    exit_status = 3
