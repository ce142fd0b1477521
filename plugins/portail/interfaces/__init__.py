"""Interfaces: the command line, the search endpoint, feedback, scaffolding and the export to
plain files."""
