"""Custom Rasa NLU components of the OCRN assistant."""
