"""audit layer of leftbehind (see DESIGN.md)."""
