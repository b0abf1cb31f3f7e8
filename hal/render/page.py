"""One self-contained web page for projecting a lesson (`hal tour --html`):
its styles inline, its pictures inline SVG, nothing fetched from anywhere,
so it opens the same from a USB stick in a classroom with no network.

Large type and high contrast for the back of a room; each step on its own
screen when printed or paged through (a page break before each section).
"""
from __future__ import annotations

from html import escape

from .html import picture

STYLE = """
body { font-family: sans-serif; font-size: 20px; line-height: 1.45; color: #111;
       background: #fff; max-width: 1200px; margin: 0 auto; padding: 1em; }
h1 { font-size: 2em; margin: 0.2em 0; }
h2 { font-size: 1.5em; border-bottom: 3px solid #3b6fd4; margin-top: 1.5em; }
nav a { margin-right: 1em; }
section { break-before: page; }
.command { font-family: monospace; font-size: 1.1em; font-weight: bold; background: #eef3fb;
           padding: 0.3em 0.6em; margin: 1em 0 0.3em 0; }
pre { font-family: monospace; font-size: 15px; line-height: 1.25; background: #fbfbfb;
      border: 1px solid #ddd; padding: 0.6em; overflow-x: auto; }
figure { margin: 1em 0; }
figcaption { font-size: 0.85em; color: #444; }
"""


def lesson(title: str, sections: list) -> str:
    """sections: (anchor, heading, text, [(command, output_html, [(caption, svg)])])."""
    nav = " ".join(f'<a href="#{escape(a)}">{escape(h)}</a>' for a, h, _, _ in sections)
    body = []
    for anchor, heading, text, blocks in sections:
        parts = [f'<section id="{escape(anchor)}"><h2>{escape(heading)}</h2><p>{escape(text)}</p>']
        for command, output, pictures in blocks:
            parts.append(f'<div class="command">$ {escape(command)}</div><pre>{output}</pre>')
            parts += [f"<figure>{picture(svg)}<figcaption>{escape(caption)}</figcaption></figure>"
                      for caption, svg in pictures]
        body.append("".join(parts) + "</section>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>"
            f"<h1>{escape(title)}</h1><nav>{nav}</nav>\n" + "\n".join(body) + "\n</body></html>\n")
