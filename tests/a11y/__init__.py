"""Support for ``tests/test_accessibility.py``: the one list of allowed axe-core findings."""
