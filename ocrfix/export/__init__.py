"""Exports beyond one page's files: searchable PDFs (:mod:`pdf`) and per-document outputs (:mod:`documents`)."""
