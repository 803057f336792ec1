"""transformer layers (placeholder: written by the other nn engineer)."""
