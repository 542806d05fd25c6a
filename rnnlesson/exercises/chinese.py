"""The Chinese texts of the exercises' feedback: English template -> Chinese template (same {fields})."""

FEEDBACK = {}
