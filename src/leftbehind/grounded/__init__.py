"""grounded layer of leftbehind (see DESIGN.md)."""
