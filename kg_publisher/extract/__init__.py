"""Reading documents: bytes → NFC text with page offsets (no budget meaning here)."""
