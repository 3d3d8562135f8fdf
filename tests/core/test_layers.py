"""Imports point one way: the core never imports Flask or the web/cli adapters."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kg_publisher

ADAPTERS = ("kg_publisher.web", "kg_publisher.cli", "kg_publisher.__main__")


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(kg_publisher.__path__, "kg_publisher.")]
    return sorted(n for n in names if not n.startswith(ADAPTERS))


def test_core_imports_without_flask() -> None:
    modules = core_modules()
    assert "kg_publisher.build" in modules and "kg_publisher.records.model" in modules
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'flask' or name.startswith(('flask.', 'kg_publisher.web', 'kg_publisher.cli')):\n"
        "            raise ImportError('core module imported ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_query_processes_import_neither_rdflib_nor_flask() -> None:
    """A query process (``python -m kg_publisher.publish.workers``) needs pyoxigraph and the query checks only;
    rdflib alone would add ~20 MB and half a second of start-up to each of the server's query processes (they
    are handed our Turtle prefixes by the server instead)."""
    script = ("import sys\n"
              "import kg_publisher.publish.workers\n"
              "loaded = sorted(n for n in sys.modules if n.split('.')[0] in ('rdflib', 'flask', 'pyshacl'))\n"
              "assert not loaded, loaded\n")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
