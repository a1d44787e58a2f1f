"""Phase 1, load: files -> ``Document`` (data with line:col positions) and profiles."""
