"""Build a training curriculum written in MyST Markdown into a handbook site and PDFs."""

__version__ = "0.1.0"
