"""The desktop app: the only package that imports Qt (PySide6).

It talks to the core through plain calls to :mod:`walkthrough.services` and
shows frozen records; nothing in the core knows it exists.
"""
