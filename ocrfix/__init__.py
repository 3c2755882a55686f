"""ocrfix: archive scans of Russian typewritten documents to trustworthy transcriptions."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ocrfix")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
