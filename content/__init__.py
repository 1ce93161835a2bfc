"""The assistant's answers as content: where each one comes from, and how readable it is."""
