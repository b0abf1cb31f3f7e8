"""Drawing results, one module per output kind: the terminal (rich tables
that fit the width, tables.py; reports, terminal.py), plain text files (JSON,
CSV, Markdown: text.py), pictures for slides (SVG and PNG, drawn by
matplotlib: charts.py) and HTML for notebooks (html.py).

Renderers read plain data (run results, a Comparison, a schedule's metrics
dict, a gradebook) and never run anything.  May import: hal.core,
hal.inspection, hal.scheduling and hal.grading for their data types, rich,
matplotlib.
"""
