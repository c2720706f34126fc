"""models layer of leftbehind (see DESIGN.md)."""
