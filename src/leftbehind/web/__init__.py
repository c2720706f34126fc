"""web layer of leftbehind (see DESIGN.md)."""
