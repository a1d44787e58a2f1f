"""saksgen: board case papers (saksfremlegg) from structured case files."""

__version__ = "0.1.0"
