"""The commands (build, check, ny/maler, schema): each runs the phases it needs, top to bottom."""
