"""Rendering letters to DOCX and PDF (placeholder until the renderer lands)."""


def ensure_files(letter) -> None:
    return None
