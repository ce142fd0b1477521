"""Checks: rules across the model (slugs, links, version nomenclature, release history), the
registry of finding codes and the baseline of acknowledged findings."""
