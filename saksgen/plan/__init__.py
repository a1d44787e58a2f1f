"""Phase 4, plan: which outputs a build makes, where, and whether an earlier one is still valid."""
