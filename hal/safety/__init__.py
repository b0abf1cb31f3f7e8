"""Keeping the host safe and runs repeatable: snapshots of a running guest
(validated before Unicorn sees them), isolated runs in a forked worker, and
independent emulations on worker processes.

May import: hal.core, hal.errors.
"""
