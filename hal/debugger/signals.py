"""A guest's fault as the signal GDB reports, and stop replies as text.

GDB's remote protocol numbers signals its own way (gdb/signals.def), not
the host's.  A fault's reason is halemu's words (hal/core/faults.py, each
backend's exception names); the first rule whose words it contains picks
the signal, and tests/test_debugger_protocol.py checks that every reason
a machine can give finds a rule of its own.
"""
from __future__ import annotations

SIGINT, SIGILL, SIGTRAP, SIGFPE, SIGKILL, SIGBUS, SIGSEGV, SIGSYS, SIGXCPU = (
    2, 4, 5, 8, 9, 10, 11, 12, 24)

NAMES = {SIGINT: "SIGINT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGFPE: "SIGFPE",
         SIGKILL: "SIGKILL", SIGBUS: "SIGBUS", SIGSEGV: "SIGSEGV", SIGSYS: "SIGSYS",
         SIGXCPU: "SIGXCPU"}

# (words in the fault's reason, signal), first match wins
RULES: tuple[tuple[str, int], ...] = (
    ("instruction limit", SIGXCPU),
    ("console output limit", SIGXCPU),
    ("unknown HAL service", SIGSYS),
    ("needs other guests", SIGSYS),
    ("hal_", SIGSYS),                      # a service called with impossible arguments
    ("syscall", SIGSYS),                   # the trap instructions, should one fault
    ("system call", SIGSYS),
    ("ecall", SIGSYS),
    ("floating-point unavailable", SIGILL),  # the FPU switched off (never, after reset)
    ("floating-point", SIGFPE),            # an IEEE exception, trapped: before "invalid", "divide"
    ("misaligned", SIGBUS),
    ("alignment", SIGBUS),
    ("address error", SIGBUS),
    ("unmapped", SIGSEGV),
    ("protected memory", SIGSEGV),
    ("read-only memory", SIGSEGV),
    ("non-executable", SIGSEGV),
    ("access fault", SIGSEGV),
    ("storage", SIGSEGV),
    ("page fault", SIGSEGV),
    ("general protection", SIGSEGV),
    ("port", SIGSEGV),                     # a device access the platform refused
    ("register", SIGSEGV),
    ("divide", SIGFPE),
    ("overflow", SIGFPE),
    ("bound range", SIGSEGV),
    ("invalid", SIGILL),
    ("illegal", SIGILL),
    ("reserved instruction", SIGILL),
    ("coprocessor unusable", SIGILL),
    ("program", SIGILL),
    ("breakpoint", SIGTRAP),
    ("break", SIGTRAP),
    ("debug", SIGTRAP),
    ("trap", SIGTRAP),
    ("machine check", SIGBUS),
    ("unhandled CPU exception", SIGILL),
    ("killed", SIGKILL),
    ("disconnected", SIGKILL),
)


def for_reason(reason: str) -> int:
    """The signal for a fault's reason; SIGSEGV if no rule matches."""
    text = reason.lower()
    for words, signal in RULES:
        if words.lower() in text:
            return signal
    return SIGSEGV


def matching_rule(reason: str) -> str | None:
    """The words of the rule a reason matches, or None (for tests)."""
    text = reason.lower()
    return next((w for w, _ in RULES if w.lower() in text), None)
