"""Qt item models over walkthrough records (lists and tables)."""
