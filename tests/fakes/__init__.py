"""Small protocol peers for the parts of Discord that simcord can't simulate."""
