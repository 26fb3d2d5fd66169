"""Plain-Python ingestion and domain logic for the healthplan warehouse (no Dagster imports)."""
