"""The `hal` command: thin click commands that parse options, call the
subsystems, and hand results to hal.render.  main.py holds the group and the
entry point; each other module holds the commands of one concern.

May import anything in halemu; nothing imports it.
"""
