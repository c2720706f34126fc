"""mixed layer of leftbehind (see DESIGN.md)."""
