"""Migration scripts (one file per schema revision; never edit a released one)."""
