"""What a walkthrough is: lenses, observations, photos, actions, and errors.

Nothing here touches the disk, the database engine, Qt or ReportLab.
"""
