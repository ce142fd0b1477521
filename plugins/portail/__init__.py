"""Portail: a static support portal generated from a knowledge base (kb/).

One subpackage per stage: ``reading`` (kb/ -> model), ``model``, ``checks`` (model -> findings),
``pages`` (model -> generated pages), ``search``, ``interfaces`` (command line, endpoint, export);
MkDocs only appears in ``portail.adapters``.
"""

__version__ = "0.1.0"
