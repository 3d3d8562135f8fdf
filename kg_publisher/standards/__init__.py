"""Standards gates run on what we publish: RDF Data Cube well-formedness (:mod:`.datacube`) and the SKOS
Reference integrity conditions plus our own glossary rules (:mod:`.skos`).

Both work on any rdflib graph and never change it; the build's whole graph is checked with
``python -m kg_publisher.standards DIR`` (DIR: the build folder).
"""
