"""Disclosure records → RDF: one graph per disclosure, plus the shared vocabulary graph."""

from .graph import disclosure_graph
from .vocabulary import vocabulary_graph

__all__ = ["disclosure_graph", "vocabulary_graph"]
