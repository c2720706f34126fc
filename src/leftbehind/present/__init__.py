"""present layer of leftbehind (see DESIGN.md)."""
