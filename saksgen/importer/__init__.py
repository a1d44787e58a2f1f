"""``saksgen importer``: an existing Word paper -> a case file (DESIGN §15)."""
