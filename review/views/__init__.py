"""The pages of the review tool, one Flask blueprint per kind of page."""
