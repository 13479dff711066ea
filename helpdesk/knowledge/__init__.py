"""FAQ knowledge base: article files, Markdown rendering, French full-text search."""
