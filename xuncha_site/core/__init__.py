"""The core: records, the domain model, validation and the catalogue. Imports nothing from MkDocs."""
