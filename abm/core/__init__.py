"""The model core: the municipality model and its sub-models (docs/ODD.md)."""
