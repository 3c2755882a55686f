"""The click commands that :mod:`ocrfix.cli` adds beside its own: thin wrappers over
the stages (the stages themselves know nothing of click)."""
