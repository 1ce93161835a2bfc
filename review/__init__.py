"""Staff review tool: conversation list, transcripts, summary, export and retention."""
