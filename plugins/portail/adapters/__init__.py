"""Thin adapters from the core to site generators. Only this package imports MkDocs."""
