"""Parts of scripts/bench_recognition.py: the sources of pages, the engines that read them, the report.

Not imported by ocrfix; the benchmark adds scripts/ to sys.path.
"""
