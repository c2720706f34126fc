"""cli layer of leftbehind (see DESIGN.md)."""
