"""Small reusable widgets (rating buttons, principle chips, photo strip)."""
