"""Phase 6, convert: DOCX -> PDF/A with LibreOffice, then finished for reproducibility."""
