"""spec layer of leftbehind (see DESIGN.md)."""
