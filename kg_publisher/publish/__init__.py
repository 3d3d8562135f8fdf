"""Publishing a build: the release directory (N-Quads, dumps, catalogue, store) and the read-only Store."""
