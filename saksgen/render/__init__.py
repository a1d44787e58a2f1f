"""Phase 5, render: papers and agendas to DOCX (Word templates + one pandoc process)."""
