"""Phase 2, validate: a loaded document against its profile -> the model, or every problem."""
