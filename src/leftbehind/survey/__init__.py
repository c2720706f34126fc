"""survey layer of leftbehind (see DESIGN.md)."""
