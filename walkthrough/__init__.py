"""Lens Walkthrough: run a trauma-informed service walkthrough offline.

Layers, each a sub-package, depending one way only::

    gui  ->  services  ->  storage  ->  domain
    report ->  domain

``domain`` says what a walkthrough is (lenses, observations, photos, actions);
``storage`` is the only package that knows SQLite; ``services`` holds the use
cases, one transaction each; ``report`` is the only package that imports
ReportLab; ``gui`` is the only package that imports Qt.  ``cli`` is the
headless command line.
"""

__version__ = "0.1.0"
