"""refkit: a citation manager for wikis. Keep this import light: no habanero, no bibtexparser."""

__version__ = "0.2.0"
