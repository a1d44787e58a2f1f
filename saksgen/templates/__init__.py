"""Word templates: which variables each receives (variables.py) and their checks (check.py)."""
