"""kg_publisher: budget disclosures in, a validated and published knowledge graph out."""

__version__ = "0.1.0"
