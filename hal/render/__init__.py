"""Drawing results, one module per output kind: the terminal (rich), plain
text files (JSON, CSV, Markdown) and pictures (SVG).

Renderers read plain data (run results, a Comparison, a schedule's metrics
dict) and never run anything.  May import: hal.core, hal.inspection and
hal.scheduling for their data types, rich.
"""
