"""The Chinese texts of the figures and the explorer: English template -> Chinese template (same {fields})."""

FIGURES = {}
