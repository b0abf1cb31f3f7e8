"""Debugging a guest with a real debugger: a GDB remote stub for every ISA,
with reverse execution.

`hal run PROGRAM --isa I --gdb PORT` and `hal schedule ... --gdb GUEST=PORT`
serve the GDB remote serial protocol for one guest.  The stub is built
here rather than taken from a library because it leans on what halemu
alone has: exact instruction counts and deterministic runs make reverse
execution a matter of checkpoints plus re-execution (target.py), and
each ISA's target description is data in arch/<isa>/tdesc/ (tdesc.py).

  framing.py    bytes to packets and back: checksums, acks, escapes, Ctrl-C
  packets.py    the table of packets, each field checked by a pattern
  server.py     the protocol state machine: dispatch through the table
  queries.py    what GDB asks about: features, files, threads, monitor
  transport.py  the TCP connection, one client at a time
  tdesc.py      target descriptions and the register file they define
  stepping.py   exact stops: breakpoints, steps and watchpoints on Unicorn hooks
  checkpoints.py  the guest's whole state at chosen counts, within a budget
  journal.py    everything that came from outside, for exact re-execution
  target.py     the debugged guest at one position of its history; goto
  motion.py     continue and step, forwards and backwards
  session.py    attaching a session to a machine, for `hal run` and `hal schedule`
  signals.py    guest faults as the signals GDB reports

May import: hal.core, hal.safety (monitor snapshot), hal.errors, hal.paths.
"""
