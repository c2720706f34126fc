"""measures layer of leftbehind (see DESIGN.md)."""
