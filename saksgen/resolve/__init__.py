"""Phase 3, resolve: numbers and @-references across every case and meeting of the build."""
