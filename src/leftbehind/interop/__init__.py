"""interop layer of leftbehind (see DESIGN.md)."""
