"""simulate layer of leftbehind (see DESIGN.md)."""
