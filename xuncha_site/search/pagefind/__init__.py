"""Writing Pagefind's index format (see UPGRADING.md before moving to a new Pagefind release)."""
