"""Portail: a static support portal generated from a knowledge base (kb/).

The flow is read (kb/ -> model) -> check (model -> findings) -> pages (model -> generated
pages); MkDocs only appears in ``portail.adapters``.
"""

__version__ = "0.1.0"
