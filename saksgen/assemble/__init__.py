"""Phase 7, assemble: a meeting's public set and combined packs from the finished PDFs."""
