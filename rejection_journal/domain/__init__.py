"""Pure-Python core: enums, records, value checks and statistics. No Qt, Matplotlib or peewee."""
