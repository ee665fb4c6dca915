#!/usr/bin/env python3
"""Validates rnnlab's exported notebooks with Jupyter's own nbformat library.

`make test` exports a scripted session (Tests/Notebooks/session.rnn) with the release binary and
runs this in a venv that holds nbformat. Each notebook must pass nbformat.validate (the nbformat
4.5 JSON schema and its extra checks), read back unchanged through nbformat.writes, and carry every
figure three times: as image/svg+xml (a well-formed SVG document), as text/html (an <img> of that
same SVG, which JupyterLab shows in a notebook it does not trust) and as text/plain (the drawing).
The markdown export must link SVG files that exist and parse.
Usage: check_notebooks.py DIR [MIN_FIGURES]
"""
import base64
import os
import re
import sys
import xml.dom.minidom

import nbformat


def fail(message):
    print(f"check_notebooks: {message}", file=sys.stderr)
    sys.exit(1)


def check_svg(text, where):
    try:
        document = xml.dom.minidom.parseString(text)
    except Exception as error:  # noqa: BLE001 - any parse failure is the finding
        fail(f"{where}: the SVG is not well-formed XML: {error}")
    if document.documentElement.tagName != "svg":
        fail(f"{where}: the root element is <{document.documentElement.tagName}>, not <svg>")


def check_image(html, svg, where):
    """The figure's HTML must be an <img> of exactly its SVG: what JupyterLab shows untrusted."""
    if html is None:
        fail(f"{where}: a figure without its HTML image (an untrusted notebook would show only text)")
    text = html if isinstance(html, str) else "".join(html)
    match = re.fullmatch(r'<img alt="[^"<>]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"/>', text)
    if not match:
        fail(f"{where}: the HTML is not one <img> with an SVG data source: {text[:80]}")
    if base64.b64decode(match.group(1)).decode("utf-8") != svg:
        fail(f"{where}: the HTML image is not the figure's SVG")


def main():
    folder = sys.argv[1]
    minimum = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    notebooks = sorted(f for f in os.listdir(folder) if f.endswith(".ipynb"))
    if not notebooks:
        fail(f"no notebook in {folder}")
    for name in notebooks:
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
        if nbformat.writes(notebook) + "\n" != text and nbformat.writes(notebook) != text:
            fail(f"{name}: Jupyter would write it back differently")
        figures = 0
        for index, cell in enumerate(notebook.cells):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/svg+xml" in data:
                    figures += 1
                    svg = data["image/svg+xml"]
                    check_svg(svg if isinstance(svg, str) else "".join(svg), f"{name} cell {index}")
                    if "text/plain" not in data:
                        fail(f"{name} cell {index}: a figure without its text drawing")
                    check_image(data.get("text/html"), svg if isinstance(svg, str) else "".join(svg), f"{name} cell {index}")
        if figures < minimum:
            fail(f"{name}: {figures} figures as SVG, expected at least {minimum}")
        print(f"{name}: valid nbformat {notebook.nbformat}.{notebook.nbformat_minor}, {len(notebook.cells)} cells, {figures} figures as SVG")
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".md")):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            links = re.findall(r"\]\(([^)]+\.svg)\)", f.read())
        if len(links) < minimum:
            fail(f"{name}: {len(links)} linked SVG files, expected at least {minimum}")
        for link in links:
            target = os.path.join(folder, link)
            if not os.path.isfile(target):
                fail(f"{name}: links {link}, which does not exist")
            with open(target, encoding="utf-8") as f:
                check_svg(f.read(), link)
        print(f"{name}: {len(links)} linked SVG files, all well-formed")


if __name__ == "__main__":
    main()
