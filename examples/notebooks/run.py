"""Executes capacity_planning.ipynb top to bottom with nbclient (as CI does) and fails on the first cell
that raises. Figures go to the directory given as the first argument (default: a temporary one).

Run: python examples/notebooks/run.py [figures-dir]
"""
import os
import pathlib
import sys
import tempfile

import nbformat
from nbclient import NotebookClient

here = pathlib.Path(__file__).resolve().parent
figures = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(tempfile.mkdtemp())
os.environ["SCALEPLAN_FIGURES"] = str(figures.resolve())
nb = nbformat.read(here / "capacity_planning.ipynb", as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(here)}}).execute()
cells = sum(1 for c in nb.cells if c.cell_type == "code")
print(f"capacity_planning.ipynb: {cells} code cells executed; figures in {figures}")
