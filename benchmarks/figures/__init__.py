"""One module per group of figures; each offers ``figures(ctx) -> list[Figure]``."""
