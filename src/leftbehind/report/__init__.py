"""report layer of leftbehind (see DESIGN.md)."""
