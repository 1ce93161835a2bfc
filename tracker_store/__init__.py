"""Rasa tracker store that redacts personal data before it is stored (see redacting.py)."""
