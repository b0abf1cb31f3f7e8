"""A POSIX personality over the HAL: static Linux programs (a C library's
printf, malloc, files) served on every ISA, as NT's POSIX subsystem ran over
its one kernel and HAL.

One ISA-independent dispatcher (posix.py) and one table of calls
(calls.py, handlers in io.py, memory.py, process.py, clock.py); each ISA's
Linux ABI (trap, numbering, registers, error convention, thread pointer) is
small data in arch/<isa>/linux.py, read through abi.py.  The process's
memory map is space.py's, its first stack stack.py's.

May import: hal.core, hal.errors, hal.paths.  The core never imports this
package: programs that need it get its factory attached to their image
(posix.adopt), which the machine calls.
"""
