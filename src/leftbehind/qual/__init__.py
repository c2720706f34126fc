"""qual layer of leftbehind (see DESIGN.md)."""
